import { writeFileSync } from 'node:fs';
import { startStack } from '/work/wt/devices/e2e/harness.ts';
const s = await startStack();
writeFileSync('/tmp/devstack.json', JSON.stringify({ url: s.url, key: s.key }));
console.log('READY', s.url);
process.on('SIGTERM', async () => { await s.stop(); process.exit(0); });
setInterval(() => {}, 1 << 30);
