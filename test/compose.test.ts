import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const check = (file: string) =>
  spawnSync('bash', [path.join(root, 'scripts/compose-check.sh'), file], {
    encoding: 'utf8',
    env: { ...process.env, POSTGRES_PASSWORD: 'test-only', RELAY_HOST: 'relay.example' },
    timeout: 600_000,
  });

it('docker-compose.yml is a valid Compose file with the whole stack (compose-go)', () => {
  const result = check(path.join(root, 'docker-compose.yml'));
  expect(result.status, result.stderr).toBe(0); // stderr may carry the one-time build's progress
  expect(result.stderr).not.toContain('compose-check:');
  expect(result.stdout.trim().split('\n')).toEqual([
    'api',
    'postgresql',
    'smtp-relay',
    'temporal',
    'temporal-schema',
    'temporal-setup',
    'temporal-ui',
    'worker',
  ]);
});

it('runs the Temporal server version and config the suite runs on PostgreSQL (npm run test:production)', () => {
  const compose = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
  const pinned = readFileSync(path.join(root, 'scripts/setup-temporal-server.sh'), 'utf8').match(
    /^TEMPORAL_SERVER_VERSION=(\S+)$/m,
  )?.[1];
  expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
  const tags = [...compose.matchAll(/image: temporalio\/(server|admin-tools):\$\{TEMPORAL_VERSION:-([^}]+)\}/g)];
  expect(tags.map(([, image, tag]) => `${image}:${tag}`)).toEqual([
    `admin-tools:${pinned}`,
    `server:${pinned}`,
    `admin-tools:${pinned}`,
  ]);
  expect(compose).toContain("'--config-file', '/etc/temporal/service/config.yaml'");
  expect(compose).toContain('./deploy/temporal:/etc/temporal/service:ro');
});

it('the validator rejects a broken Compose file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'compose-'));
  const broken = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8').replace(
    'condition: service_healthy',
    'condition: when_it_feels_like_it',
  );
  writeFileSync(path.join(dir, 'docker-compose.yml'), broken);
  const result = check(path.join(dir, 'docker-compose.yml'));
  expect(result.status).not.toBe(0);
  expect(result.stderr).toContain('condition');
});
