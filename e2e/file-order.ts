// The order vitest starts test files in, on a fresh clone (as CI runs, with no durations cached
// from an earlier run): larger files first, as vitest does, so the browser tests' two lanes do not
// end with one long file running alone while the other lane idles. But a file that runs tests
// written in other modules (accounts.e2e.test.ts: sign-in, admin, registry, imports, ~30 KB of
// tests in 1 KB) is weighed with them; by its own size it started last. With durations cached,
// vitest's own order (longest first) stands.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Bytes of a test file and of the sibling modules it imports that define tests (`it(`). */
export function testWeight(file: string): number {
  const text = readFileSync(file, 'utf8');
  let bytes = statSync(file).size;
  for (const [, name] of text.matchAll(/from '\.\/([\w.-]+\.ts)'/g)) {
    const sibling = path.join(path.dirname(file), name);
    const body = readFileSync(sibling, 'utf8');
    if (/^\s*it\(/m.test(body)) bytes += statSync(sibling).size;
  }
  return bytes;
}

export class WeighedSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const root = this.ctx.config.root;
    const cached = (f: TestSpecification) => this.ctx.cache.getFileTestResults(`${f.project.name}:${path.relative(root, f.moduleId)}`) !== undefined;
    if (ordered.some(cached)) return ordered;
    // vitest groups files by project (in the order they run); each group, heaviest first.
    const groups: TestSpecification[][] = [];
    for (const f of ordered) {
      const last = groups.at(-1);
      if (last && last[0].project === f.project) last.push(f);
      else groups.push([f]);
    }
    const weight = new Map(ordered.map((f) => [f, testWeight(f.moduleId)]));
    return groups.flatMap((g) => g.sort((a, b) => weight.get(b)! - weight.get(a)!));
  }
}
