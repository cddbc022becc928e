// Serialization: stable key order (objects are built in a fixed order), compact big arrays, one
// feature or device per line so diffs between datasets stay readable.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASET_FILES, type DevicesFile } from '../../core/dataset.ts';
import type { FeatureCollection, GeneratedDataset, GenerateOptions } from './types.ts';

function featureCollectionText(fc: FeatureCollection<unknown>): string {
  return '{"type":"FeatureCollection","features":[\n' + fc.features.map((f) => JSON.stringify(f)).join(',\n') + '\n]}\n';
}

export function serializeDataset(ds: GeneratedDataset): Record<keyof typeof DATASET_FILES, string> {
  const layers = (Object.keys(ds.devices) as Array<keyof DevicesFile>)
    .map((k) => `${JSON.stringify(k)}:[\n` + (ds.devices[k] as unknown[]).map((d) => JSON.stringify(d)).join(',\n') + '\n]')
    .join(',\n');
  const c = ds.components;
  const components =
    '{\n' +
    [
      `"count":${c.count}`,
      `"code":${JSON.stringify(c.code)}`,
      `"classCode":${JSON.stringify(c.classCode)}`,
      `"lon":${JSON.stringify(c.lon)}`,
      `"lat":${JSON.stringify(c.lat)}`,
      `"gridIndex":${JSON.stringify(c.gridIndex)}`,
      `"sensorized":${JSON.stringify(c.sensorized)}`,
    ].join(',\n') +
    '\n}\n';
  return {
    manifest: JSON.stringify(ds.manifest, null, 2) + '\n',
    boundaries: featureCollectionText(ds.boundaries),
    grids: featureCollectionText(ds.grids),
    water: featureCollectionText(ds.water),
    devices: '{\n' + layers + '\n}\n',
    components,
    resources: '[\n' + ds.resources.map((r) => JSON.stringify(r)).join(',\n') + '\n]\n',
    surroundings: featureCollectionText(ds.surroundings),
  };
}

/** SHA-256 over all files in DATASET_FILES order (for determinism checks). */
export function datasetHash(ds: GeneratedDataset): string {
  const text = serializeDataset(ds);
  const h = createHash('sha256');
  for (const k of Object.keys(DATASET_FILES) as Array<keyof typeof DATASET_FILES>) h.update(DATASET_FILES[k]).update('\0').update(text[k]);
  return h.digest('hex');
}

/** Writes the dataset's files into dir (created if needed). Returns the sizes in bytes. */
export function writeDataset(dir: string, ds: GeneratedDataset): Record<string, number> {
  mkdirSync(dir, { recursive: true });
  const text = serializeDataset(ds);
  const sizes: Record<string, number> = {};
  // manifest last, so a reader that sees manifest.json sees a complete dataset
  const keys: Array<keyof typeof DATASET_FILES> = (Object.keys(DATASET_FILES) as Array<keyof typeof DATASET_FILES>).filter((k) => k !== 'manifest');
  keys.push('manifest');
  for (const k of keys) {
    // Written beside, then renamed over: test workers that generate the same dataset at once never
    // let a reader see half a file (the bytes are identical, so whichever rename lands last is right).
    const file = join(dir, DATASET_FILES[k]);
    const part = `${file}.${process.pid}.part`;
    writeFileSync(part, text[k]);
    renameSync(part, file);
    sizes[DATASET_FILES[k]] = Buffer.byteLength(text[k]);
  }
  return sizes;
}

/** Reads a boundaries GeoJSON file for GenerateOptions.boundaries, with clear errors. */
export function readBoundariesFile(file: string): NonNullable<GenerateOptions['boundaries']> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`boundaries file ${file}: ${(e as Error).message}`);
  }
  const fc = parsed as { type?: string; features?: unknown };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error(`boundaries file ${file}: expected a GeoJSON FeatureCollection`);
  return fc as NonNullable<GenerateOptions['boundaries']>;
}
