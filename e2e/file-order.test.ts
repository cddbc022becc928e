import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testWeight } from './file-order.ts';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('testWeight', () => {
  it("weighs a test file with the sibling modules of tests it imports, not with its helpers", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'file-order-'));
    const main = "import { loginTests } from './login.ts';\nimport { useDashboard } from './support.ts';\nloginTests(useDashboard());\n";
    const tests = "export function loginTests() {\n  it('signs in', () => {});\n}\n";
    const helper = 'export function useDashboard() { return 1; }\n';
    writeFileSync(path.join(dir, 'a.e2e.test.ts'), main);
    writeFileSync(path.join(dir, 'login.ts'), tests);
    writeFileSync(path.join(dir, 'support.ts'), helper);
    expect(testWeight(path.join(dir, 'a.e2e.test.ts'))).toBe(Buffer.byteLength(main) + Buffer.byteLength(tests));
  });
});
