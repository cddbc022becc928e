// The one place socket handlers are registered. Each bounded context adds its handler factory
// (cases, whistles and alarms and the snapshot from the realtime plugin; drones, broadcasts and
// replay from theirs); on every connection all of them are built and bound through bindHandlers,
// with the connection's own command allowance. Every event of ClientToServerEvents has its
// payload check in CHECKS: the compiler refuses an event without one.
import { CommandBucket } from '../command-limit.ts';
import type { LinkageSocket } from '../hub.ts';
import { bindHandlers } from './bind.ts';
import { broadcastChecks } from './broadcasts.ts';
import { caseChecks } from './cases.ts';
import type { Checks, HandlerFactory } from './define.ts';
import { droneChecks } from './drones.ts';
import { replayChecks } from './replay.ts';
import { snapshotChecks } from './snapshot.ts';

export const CHECKS: Checks = { ...caseChecks, ...snapshotChecks, ...droneChecks, ...broadcastChecks, ...replayChecks };

export class SocketHandlers {
  private readonly factories: HandlerFactory[] = [];

  constructor(private readonly options: { now: () => number; /** 0: unlimited */ commandsPerSecond: number }) {}

  /** A bounded context's handlers: built for every connection from now on. */
  add(factory: HandlerFactory): void {
    this.factories.push(factory);
  }

  /** Builds every context's handlers for a new connection and binds them, wrapped once. */
  bind(socket: LinkageSocket): void {
    const ctx = { socket, session: socket.data.session };
    const { now, commandsPerSecond } = this.options;
    // A burst of three seconds' worth, then the steady rate.
    const limit = commandsPerSecond > 0 ? { bucket: new CommandBucket(commandsPerSecond, commandsPerSecond * 3, now()), perSecond: commandsPerSecond } : undefined;
    bindHandlers(ctx, this.factories.map((f) => f(ctx)), { checks: CHECKS, now, limit });
  }
}
