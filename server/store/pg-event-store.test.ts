import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConflictError, StoreUnavailableError, type NewEvent, type StoredEvent } from './event-store.ts';
import { PgEventStore, TAIL_APP } from './pg-event-store.ts';
import { MIGRATIONS } from './pg-schema.ts';
import { startPgTestServer, type PgTestServer } from './pg-test-server.ts';

const T0 = 1_800_000_000_000;
const clock = { now: () => T0 };
let server: PgTestServer;
let dbs = 0;
const freshDb = (owner?: string) => server.createDatabase(`t${++dbs}`, owner);
// Large pollMs: delivery between nodes must come from NOTIFY, not from the safety-net poll.
const open = (connectionString: string, pollMs = 60_000) => PgEventStore.open({ connectionString, clock, pollMs });

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(sql)).rows;
  } finally {
    await c.end();
  }
}
const ev = (node: string, i: number): NewEvent => ({
  type: i % 7 === 0 ? 'case:reported' : 'device:reported',
  subject: `${node}${i}`,
  ts: T0 + i,
  data: { node, i, nested: { list: [1, 2.5, null, true], text: '大观区 "quoted" \\ \u0000 end' } },
});
const seqsOf = (events: StoredEvent[]) => events.map((e) => e.seq);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const strip = ({ index: _index, ...e }: StoredEvent) => e;

beforeAll(async () => {
  server = await startPgTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('PgEventStore', () => {
  it('two nodes deciding on the same head: exactly one conditional append wins, the other conflicts; catchUp brings a node to the head', async () => {
    const url = await freshDb();
    const [a, b] = await Promise.all([open(url), open(url)]);
    await a.append([ev('X', 1)]);
    await b.catchUp();
    expect(b.lastSeq()).toBe(a.lastSeq());
    const head = b.lastSeq();
    for (let round = 0; round < 5; round++) {
      const subject = `CASE-${round}`;
      const results = await Promise.allSettled([a, b].map((s) => s.append([{ type: 'case:filed', subject, ts: T0, data: {} }], { unchangedSince: { seq: head, subjects: [subject] } })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(ConflictError);
    }
    // Telemetry between them is never held back by a refused command.
    await Promise.all([a.append([ev('X', 2)]), a.append([{ type: 'case:filed', subject: 'CASE-0', ts: T0, data: {} }], { unchangedSince: { seq: head, subjects: ['CASE-0'] } }).catch(() => null), a.append([ev('X', 3)])]);
    await a.catchUp();
    const all = await a.readAfter(head, 100);
    expect(all.filter((e) => e.type === 'case:filed').map((e) => e.subject).sort()).toEqual(['CASE-0', 'CASE-1', 'CASE-2', 'CASE-3', 'CASE-4']);
    expect(all.filter((e) => e.type === 'device:reported')).toHaveLength(2);
    await Promise.all([a.close(), b.close()]);
  });

  it('commits the appends of one turn together and reads them back equal, across a reopen', async () => {
    const url = await freshDb();
    const store = await open(url);
    const commits: number[][] = [];
    store.onCommit((events) => commits.push(seqsOf(events)));
    const [a, b] = await Promise.all([store.append([ev('A', 1), { ...ev('A', 2), index: 4 }]), store.append([ev('A', 3)])]);
    expect(seqsOf(a)).toEqual([1, 2]);
    expect(seqsOf(b)).toEqual([3]);
    expect(a[1].index).toBe(4);
    expect(commits).toEqual([[1, 2, 3]]);
    expect(store.lastSeq()).toBe(3);
    const back = await store.readAfter(0, 10);
    expect(back).toEqual([...a, ...b].map(strip));
    expect(back[0].recordedAt).toBe(T0);
    expect(await store.readAfter(1, 1)).toEqual([strip(a[1])]);
    await store.close();
    await expect(store.append([ev('A', 4)])).rejects.toThrow(/closed/);
    const again = await open(url);
    expect(again.lastSeq()).toBe(3);
    expect(seqsOf(await again.append([ev('A', 4)]))).toEqual([4]);
    await again.close();
  });

  it('two nodes appending at once get gapless unique seqs, and each node\'s listeners see every event once, in order', async () => {
    const url = await freshDb();
    const nodes = [await open(url), await open(url)];
    const seen = nodes.map(() => [] as StoredEvent[]);
    nodes.forEach((n, k) => n.onCommit((events) => seen[k].push(...events)));
    const acks: Array<Promise<StoredEvent[]>> = [];
    let ackedAfterListener = true;
    let i = 0;
    for (let round = 0; round < 40; round++) {
      nodes.forEach((n, k) => {
        for (let j = 0; j <= (round + k) % 3; j++) {
          const batch = Array.from({ length: 1 + ((round * 7 + j) % 5) }, () => ({ ...ev(k ? 'B' : 'A', ++i), index: i }));
          acks.push(n.append(batch).then((stored) => {
            // Acknowledged only once this node's listeners have the events.
            if (seen[k].at(-1)!.seq < stored.at(-1)!.seq) ackedAfterListener = false;
            return stored;
          }));
        }
      });
      // Next turn: the nodes' group commits interleave and contend for log_head.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const stored = (await Promise.all(acks)).flat();
    expect(stored).toHaveLength(i);
    expect(seqsOf(stored).sort((x, y) => x - y)).toEqual(range(i));
    expect(ackedAfterListener).toBe(true);
    await vi.waitFor(() => expect(seen.map((s) => s.length)).toEqual([i, i]), { timeout: 10_000, interval: 10 });
    const bySeq = new Map(stored.map((e) => [e.seq, strip(e)]));
    seen.forEach((s, k) => {
      expect(seqsOf(s)).toEqual(range(i));
      expect(s.map(strip)).toEqual(seqsOf(s).map((q) => bySeq.get(q)));
      // A node hands its own commits over as appended (`index` kept), others' as read back.
      const node = k ? 'B' : 'A';
      expect(s.every((e) => (e.subject.startsWith(node) ? e.index === (e.data as { i: number }).i : e.index === undefined))).toBe(true);
    });
    expect(nodes.map((n) => n.lastSeq())).toEqual([i, i]);
    expect(await nodes[1].readAfter(0, 10_000)).toEqual(range(i).map((q) => bySeq.get(q)));
    await Promise.all(nodes.map((n) => n.close()));
  });

  it('an unsubscribed listener hears nothing more; the others still do', async () => {
    const url = await freshDb();
    const [a, b] = [await open(url), await open(url)];
    const kept: number[] = [];
    const dropped: number[] = [];
    b.onCommit((events) => kept.push(...seqsOf(events)));
    const unsubscribe = b.onCommit((events) => dropped.push(...seqsOf(events)));
    await a.append([ev('A', 1)]);
    await vi.waitFor(() => expect(dropped).toEqual([1]), { timeout: 5000, interval: 10 });
    unsubscribe();
    await a.append([ev('A', 2)]);
    await b.append([ev('B', 3)]);
    expect(kept).toEqual([1, 2, 3]);
    expect(dropped).toEqual([1]);
    await Promise.all([a.close(), b.close()]);
  });

  it('a failing commit rejects every append of its group, stores nothing, and leaves no gap', async () => {
    await server.admin('CREATE ROLE app LOGIN');
    const url = await freshDb('app');
    const [store, other] = [await open(url), await open(url)];
    const heard: number[] = [];
    other.onCommit((events) => heard.push(...seqsOf(events)));
    await store.append([ev('A', 1)]);
    await server.admin('REVOKE INSERT ON events FROM app', `t${dbs}`);
    const failed = [store.append([ev('A', 2)]), store.append([ev('A', 3), ev('A', 4)])];
    for (const f of failed) {
      await expect(f).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(f).rejects.toThrow(/permission denied for table events/);
    }
    expect(await query(server.url(`t${dbs}`), 'SELECT (SELECT count(*) FROM events)::int AS n, (SELECT seq FROM log_head)::int AS head')).toEqual([{ n: 1, head: 1 }]);
    expect(store.lastSeq()).toBe(1);
    await server.admin('GRANT INSERT ON events TO app', `t${dbs}`);
    expect(seqsOf(await store.append([ev('A', 5)]))).toEqual([2]);
    await vi.waitFor(() => expect(heard).toEqual([1, 2]), { timeout: 5000, interval: 10 });
    await Promise.all([store.close(), other.close()]);
  });

  it('with the database server gone, appends are refused and close does not hang', async () => {
    const own = await startPgTestServer();
    try {
      const store = await open(await own.createDatabase('gone'));
      await store.append([ev('A', 1)]);
      await own.stop();
      await expect(store.append([ev('A', 2)])).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(store.lastSeq()).toBe(1);
      await store.close();
    } finally {
      await own.stop();
    }
  });

  it('a node whose tail connection is cut reconnects and catches up on what it missed', async () => {
    const url = await freshDb();
    const a = await open(url);
    const b = await open(url, 100);
    const heard: number[] = [];
    b.onCommit((events) => heard.push(...seqsOf(events)));
    const cut = await query<{ ok: boolean }>(server.url(`t${dbs}`), `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = '${TAIL_APP}' AND datname = current_database()`);
    expect(cut.length).toBe(2);
    await a.append([ev('A', 1), ev('A', 2)]);
    await a.append([ev('A', 3)]);
    await vi.waitFor(() => expect(heard).toEqual([1, 2, 3]), { timeout: 5000, interval: 10 });
    // b's own append after the reconnect continues the sequence.
    expect(seqsOf(await b.append([ev('B', 4)]))).toEqual([4]);
    expect(heard).toEqual([1, 2, 3, 4]);
    await Promise.all([a.close(), b.close()]);
  });

  it('applies migrations once when several nodes start together, and keeps the log append-only', async () => {
    const url = await freshDb();
    const nodes = await Promise.all([1, 2, 3, 4].map(() => open(url)));
    const versions = () => query<{ version: number }>(url, 'SELECT version FROM schema_migrations ORDER BY version');
    expect(await versions()).toEqual(MIGRATIONS.map((_, i) => ({ version: i + 1 })));
    await nodes[0].append([ev('A', 1)]);
    await Promise.all(nodes.map((n) => n.close()));
    const again = await open(url);
    expect(again.lastSeq()).toBe(1);
    expect(await versions()).toHaveLength(MIGRATIONS.length);
    await expect(query(url, 'UPDATE events SET subject = $$x$$')).rejects.toThrow(/append-only/);
    await expect(query(url, 'DELETE FROM events')).rejects.toThrow(/append-only/);
    await again.close();
  });

  it('keeps a checkpoint written as JSON text before migration 5 readable, and stores new ones as gzip', async () => {
    const url = await freshDb();
    // A database as the release before left it: migrations 1-4, a checkpoint body of JSON text.
    await query(url, `CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now()); ${MIGRATIONS.slice(0, 4).join(';')}; INSERT INTO schema_migrations (version) VALUES (1), (2), (3), (4)`);
    await query(url, `INSERT INTO checkpoints (seq, created_at, body) VALUES (7, ${T0 - 60_000}, '{"cases":["大观区"]}')`);
    const store = await open(url);
    expect(await store.latestCheckpoint()).toEqual({ seq: 7, body: '{"cases":["大观区"]}' });
    const json = JSON.stringify({ cases: Array.from({ length: 2000 }, (_, i) => ({ id: `C${i}`, status: 'assigned' })) });
    await store.saveCheckpoint(9, json);
    expect(await store.checkpointAtOrBefore(9)).toEqual({ seq: 9, body: json });
    expect(await store.checkpointAtOrBefore(8)).toEqual({ seq: 7, body: '{"cases":["大观区"]}' });
    const [row] = await query<{ head: string; n: number }>(url, 'SELECT encode(substr(body, 1, 2), $$hex$$) AS head, length(body) AS n FROM checkpoints WHERE seq = 9');
    expect(row.head).toBe('1f8b');
    expect(row.n).toBeLessThan(json.length / 4);
    await store.close();
  });
});
