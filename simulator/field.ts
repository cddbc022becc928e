// The simulator's side of the MQTT field link (see core/field.ts for the topic scheme): models
// publish what devices report and receive the commands sent to devices. Implemented over mqtt.js
// by simulator/mqtt-client.ts; tests use an in-memory fake.
import type { CommandKind, UplinkStream } from '../core/field.ts';

export interface FieldChannel {
  /** Publishes records on an uplink stream (QoS 1); resolves after the server's PUBACK, i.e. once committed. */
  publish(stream: UplinkStream, records: object[]): Promise<void>;
  /** Receives every command sent to devices of one kind (`linkage/cmd/<kind>/<id>`), with the parsed JSON payload. */
  onCommand(kind: CommandKind, handler: (deviceId: string, payload: unknown) => void): void;
}
