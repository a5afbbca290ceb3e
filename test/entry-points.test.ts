/** The production entry points (`npm run worker`, `npm run api`) refuse to start without a payload key. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
/** The fatal line the entry point logs (JSON on stdout) before it exits. */
const fatal = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { level: string; msg: string })
    .find((line) => line.level === 'fatal')?.msg;

const withoutKeys = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PAYLOAD_KEY')));

it.each(['worker/index.ts', 'src/api/server.ts'])('%s refuses to start without PAYLOAD_KEYS, saying why', (entry) => {
  // TEMPORAL_ADDRESS points nowhere: the refusal must come before any attempt to connect.
  const run = spawnSync(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { ...withoutKeys, TEMPORAL_ADDRESS: '127.0.0.1:1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status).toBe(1);
  expect(fatal(run.stdout)).toContain('no payload key: set PAYLOAD_KEYS');
});

it('refuses a payload key that is not 32 bytes, naming the key and not printing it', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'worker/index.ts'], {
    cwd: root,
    env: { ...withoutKeys, TEMPORAL_ADDRESS: '127.0.0.1:1', PAYLOAD_KEYS: '{"k1":"c2hvcnQta2V5"}' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status).toBe(1);
  expect(fatal(run.stdout)).toBe('PAYLOAD_KEYS: key k1 must be 32 bytes in base64 (AES-256)');
  expect(run.stdout + run.stderr).not.toContain('c2hvcnQta2V5');
});
