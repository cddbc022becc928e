// Checkpoint bodies as stored: gzip of the projections' JSON. A checkpoint of a center with 90 days
// of cases is ~12 MB of JSON (~0.9 MB as gzip level 1) and one is kept per minute for the last day.
// Both ways run in libuv's thread pool, off the event loop. Bodies written before this (JSON text)
// still read: JSON never starts with gzip's magic bytes.
import { promisify } from 'node:util';
import { constants, gunzip, gunzipSync, gzip } from 'node:zlib';
import type { Checkpoint } from './event-store.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Level 1: most of the size gone at the least CPU, as a checkpoint is written every minute. */
export function packCheckpoint(json: string): Promise<Buffer> {
  return gzipAsync(json, { level: constants.Z_BEST_SPEED });
}

const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const asBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** The JSON of a stored body: gzip (now), or JSON text, as bytes or a string (written before gzip). */
export async function unpackCheckpoint(stored: Uint8Array | string): Promise<string> {
  if (typeof stored === 'string') return stored;
  return (isGzip(stored) ? await gunzipAsync(stored) : asBuffer(stored)).toString('utf8');
}

/** The same, blocking: for tools that read a stopped server's file. */
export function unpackCheckpointSync(stored: Uint8Array | string): string {
  if (typeof stored === 'string') return stored;
  return (isGzip(stored) ? gunzipSync(stored) : asBuffer(stored)).toString('utf8');
}

/** A checkpoint row as either store reads it (BLOB / bytea, or an older file's TEXT), unpacked; null for no row. */
export async function checkpointOfRow(row: { seq: number; body: Uint8Array | string } | undefined): Promise<Checkpoint | null> {
  return row ? { seq: row.seq, body: await unpackCheckpoint(row.body) } : null;
}
