/** Pre-builds the workflow bundle for production workers: `npm run build:workflows`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflows } from '../worker/worker';

async function main() {
  const { code } = await bundleWorkflows();
  const out = path.resolve(__dirname, '../dist/workflow-bundle.js');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, code);
  console.log(`wrote ${path.relative(process.cwd(), out)} (${(code.length / 1024).toFixed(0)} KiB)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
