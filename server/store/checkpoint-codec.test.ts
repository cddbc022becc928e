import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { packCheckpoint, unpackCheckpoint, unpackCheckpointSync } from './checkpoint-codec.ts';

describe('checkpoint bodies', () => {
  const json = JSON.stringify({ devices: Array.from({ length: 2000 }, (_, i) => ({ id: `CAM-${i}`, status: 'online', lon: 117.05 + i / 1e5 })), note: '联动中心' });

  it('are packed as gzip that any gunzip reads back', async () => {
    const packed = await packCheckpoint(json);
    expect(gunzipSync(packed).toString('utf8')).toBe(json);
    expect(await unpackCheckpoint(packed)).toBe(json);
    expect(unpackCheckpointSync(packed)).toBe(json);
  });

  it('read JSON written before compression, as a string or as its UTF-8 bytes', async () => {
    expect(await unpackCheckpoint(json)).toBe(json);
    expect(await unpackCheckpoint(new Uint8Array(Buffer.from(json, 'utf8')))).toBe(json);
    expect(unpackCheckpointSync(new Uint8Array(Buffer.from(json, 'utf8')))).toBe(json);
  });
});
