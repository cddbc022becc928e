// An in-process FieldLink for a server without the MQTT plugin (and for tests before it): commands
// are kept and handed to listeners in the same process, uplinks are delivered by calling deliver().
// The MQTT plugin ('linkage-field') replaces it whenever it is registered.
import type { UplinkStream } from '../../core/field.ts';
import type { FieldLink, UplinkHandler, UplinkResult } from '../field/link.ts';

export class LocalFieldLink implements FieldLink {
  private readonly handlers = new Map<UplinkStream, UplinkHandler>();
  private readonly listeners = new Set<(topic: string, payload: unknown) => void>();
  /** Every command published, oldest first (bounded). */
  readonly published: Array<{ topic: string; payload: unknown }> = [];

  onUplink(stream: UplinkStream, handler: UplinkHandler): void {
    this.handlers.set(stream, handler);
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    this.published.push({ topic, payload });
    if (this.published.length > 1000) this.published.shift();
    for (const l of this.listeners) l(topic, payload);
  }

  /** Listens to published commands; returns the unsubscribe function. */
  onPublish(listener: (topic: string, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hands records to the stream's handler, as the broker would for a gateway's message. */
  deliver(stream: UplinkStream, records: unknown[], gateway = 'local'): Promise<UplinkResult> {
    const h = this.handlers.get(stream);
    if (!h) return Promise.reject(new Error(`no handler for uplink stream ${stream}`));
    return h(records, { gateway });
  }
}
