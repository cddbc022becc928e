// Crash safety, end to end: the real server (server/main.ts, SQLITE_SYNCHRONOUS=FULL, full district
// dataset) as a child process takes device batches from concurrent HTTP senders; its whole process
// tree gets SIGKILL twice mid-stream and is started again on the same data. Afterwards every batch
// that was answered 200 is in the log (read from the SQLite file after a clean stop), and the
// projections of the start after the last kill (newest checkpoint + the log after it) equal those
// rebuilt from the whole log on a copy without checkpoints: by the API (/api/summary, a screen's
// snapshot) and in full (the checkpoint each writes at its clean stop).
// A server that answered before committing loses the batches answered in the last milliseconds
// before each kill: `missing` would not be 0.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureDataset } from '../data/load.ts';
import { makePoster } from '../bench/http.ts';
import { RecordGenerator } from '../bench/records.ts';
import { freePort } from '../scripts/free-port.ts';
import { AckLedger, checkpointDiff, latestCheckpoint, markerClock, projectionFingerprint, rebuildCopy, startServerProcess, type ServerProcess } from '../scripts/server-process.ts';

const DATASET_DIR = path.resolve(import.meta.dirname, '..', 'data', 'generated');
const KEY = 'crash-test-gateway-key-0123456789';
const SENDERS = 3;
const BATCH = 500;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'linkage-crash-test-'));
let server: ServerProcess | null = null;
beforeAll(() => ensureDataset(DATASET_DIR, () => {}), 120_000);
afterAll(async () => {
  await server?.kill();
  rmSync(tmp, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('keeps every acknowledged batch through kill -9 mid-stream, and restores the projections a rebuild from the log gives', async () => {
    const dataDir = path.join(tmp, 'data');
    const ports = { port: await freePort(), mqttPort: await freePort() };
    const env = { GATEWAY_KEYS: `test:${KEY}`, SQLITE_SYNCHRONOUS: 'FULL', CHECKPOINT_EVERY_MS: '500', AUTH_MODE: 'declared', TICK_MS: '50' };
    const start = (dir: string) => startServerProcess({ dataDir: dir, datasetDir: DATASET_DIR, ...ports, env, healthTimeoutMs: 30_000 });
    server = await start(dataDir);
    const url = server.url;

    const ledger = new AckLedger();
    const sent = { acked: 0, cut: 0, other: [] as string[] };
    let stopping = false;
    let up: Promise<void> = Promise.resolve();
    let markUp = () => {};
    const sender = async (lane: number) => {
      const gen = new RecordGenerator(DATASET_DIR, lane + 1);
      const marker = markerClock(lane, SENDERS);
      const poster = makePoster(url, { 'x-gateway-key': KEY }, 1);
      while (!stopping) {
        await up;
        if (stopping) break;
        const ids: string[] = [];
        const ts = marker();
        const body = gen.body(BATCH, ts, ids);
        try {
          const res = await poster.post('/api/ingest/devices', body, 20_000);
          if (res.status === 200) {
            ledger.acked(ts, ids);
            sent.acked++;
          } else sent.other.push(`${res.status} ${res.body.slice(0, 200)}`);
        } catch {
          sent.cut++; // the kill cut this request: no answer, committed or not
        }
      }
      poster.close();
    };
    const ackedMore = async (n: number) => {
      const target = sent.acked + n;
      await vi.waitFor(() => {
        if (sent.acked < target) throw new Error(`only ${sent.acked} of ${target} batches acknowledged: ${sent.other.slice(0, 3).join(' | ')}`);
      }, { timeout: 15_000, interval: 10 });
    };
    const senders = Array.from({ length: SENDERS }, (_, lane) => sender(lane));

    // Kill 1, mid-stream; the senders wait for the restart and go on.
    await ackedMore(10);
    up = new Promise((r) => (markUp = r));
    await server.kill();
    server = await start(dataDir);
    markUp();
    // Kill 2, mid-stream, with a checkpoint (every 500 ms) behind the log.
    await ackedMore(10);
    const restartSeq = server.restored()?.seq ?? 0;
    const checkpointed = await vi.waitFor(() => {
      // Read-only, beside the running server (SQLite's WAL lets a reader in).
      const seq = latestCheckpoint(dataDir)?.seq ?? 0;
      if (seq <= restartSeq) throw new Error(`no checkpoint after seq ${restartSeq} (the restart) yet: newest ${seq}`);
      return seq;
    }, { timeout: 15_000, interval: 50 });
    stopping = true;
    await server.kill();
    await Promise.all(senders);
    expect(sent.other).toEqual([]);
    expect(sent.cut).toBeGreaterThan(0); // the kills did land mid-request

    // The start after the kill restores the newest checkpoint plus the log after it.
    server = await start(dataDir);
    const restoredInfo = server.restored();
    expect(restoredInfo?.checkpointSeq).toBeGreaterThanOrEqual(checkpointed);
    expect(restoredInfo!.checkpointSeq! + restoredInfo!.replayed).toBe(restoredInfo!.seq);
    const restored = await projectionFingerprint(server.url);
    expect(await server.stop()).toBe(0);
    const restoredState = latestCheckpoint(dataDir);

    // Every acknowledged record is in the log.
    const check = ledger.check(path.join(dataDir, 'linkage.db'));
    expect(check.ackedBatches).toBe(sent.acked);
    expect(check).toMatchObject({ missing: 0, missingBatches: 0, mismatchedBatches: 0, redelivered: 0 });
    expect(check.found).toBe(check.acked + check.foundNotAcked);
    expect(restored.seq).toBeGreaterThanOrEqual(check.found);

    // A rebuild from the whole log gives the same projections.
    const rebuildDir = path.join(tmp, 'rebuild');
    rebuildCopy(dataDir, rebuildDir);
    server = await start(rebuildDir);
    expect(server.restored()).toMatchObject({ checkpointSeq: null, replayed: restored.seq });
    const rebuilt = await projectionFingerprint(server.url);
    expect(await server.stop()).toBe(0);
    server = null;
    expect(rebuilt).toEqual(restored);
    const rebuiltState = latestCheckpoint(rebuildDir);
    expect(rebuiltState?.seq).toBe(restoredState?.seq);
    expect(checkpointDiff(restoredState, rebuiltState)).toEqual([]);
  }, 60_000);
});
