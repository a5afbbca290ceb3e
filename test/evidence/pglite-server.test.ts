/**
 * PGlite served over the PostgreSQL wire protocol (src/evidence/pglite-server.ts), as `npm start`
 * runs it for its worker and API: several `pg` clients and pools at once, each exchange and each
 * transaction kept whole, and the entry point as the supervisor starts it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../src/evidence/migrations';
import { pgliteServerAddress, servePglite, type PgliteServer } from '../../src/evidence/serve-pglite';
import { openEvidenceStore } from '../../src/evidence/store';
import { DAY, deadlineRecord, fromNow, NOW, processRecord } from './records';

const root = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'evidence-server-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the PGlite server', () => {
  const pgliteDir = path.join(dir, 'evidence');
  let server: PgliteServer;
  const clients: Client[] = [];
  const connected = async () => {
    const client = new Client({ connectionString: server.databaseUrl });
    await client.connect();
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await servePglite({ pgliteDir });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    await server?.close();
  });

  it('listens on a Unix socket in a directory only its user may enter, with the schema in place', async () => {
    const { socketDir } = pgliteServerAddress({ pgliteDir });
    expect(server.databaseUrl).toBe(`postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`);
    expect(statSync(socketDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(socketDir, '.s.PGSQL.5432')).isSocket()).toBe(true);
    const client = await connected();
    const { rows } = await client.query<{ name: string }>('select name from evidence_migrations');
    expect(rows).toEqual(Object.keys(migrations).map((name) => ({ name })));
  });

  it('serves two stores at once: the writer and the reader of `npm start`', async () => {
    const [worker, api] = await Promise.all([
      openEvidenceStore({ databaseUrl: server.databaseUrl }),
      openEvidenceStore({ databaseUrl: server.databaseUrl }),
    ]);
    try {
      const writes = Array.from({ length: 40 }, (_, i) =>
        worker.record([
          processRecord(`wf-${i}`, { team: 'north' }),
          deadlineRecord(`wf-${i}`, { step: 1, dueAt: fromNow(DAY + i) }),
        ]),
      );
      const reads = Array.from({ length: 20 }, () => api.worktray({ now: NOW, limit: 100 }));
      const pages = await Promise.all([...writes, ...reads]);
      // Every read saw whole batches only: as many processes as deadlines, never one without the other.
      for (const page of pages.slice(writes.length) as Awaited<(typeof reads)[number]>[]) {
        expect(
          page.items.every((item) => item.team === 'north' && item.caseReference === `CASE-${item.workflowId}`),
        ).toBe(true);
      }
      const { items } = await api.worktray({ now: NOW, limit: 100 });
      expect(items).toHaveLength(40);
      expect(items.map((item) => item.workflowId)).toEqual(Array.from({ length: 40 }, (_, i) => `wf-${i}`));
    } finally {
      await Promise.all([worker.close(), api.close()]);
    }
  });

  it("keeps one client's transaction whole: the other waits for its commit", async () => {
    const [a, b] = await Promise.all([connected(), connected()]);
    await a.query('begin');
    await a.query(
      `insert into processes (workflow_id, process_type, case_reference, started_at) values ($1, 'child-protection-plan', 'CASE-T', now())`,
      ['wf-in-transaction'],
    );
    let answered = false;
    const read = b
      .query<{ n: string }>('select count(*) as n from processes where workflow_id = $1', ['wf-in-transaction'])
      .then((result) => {
        answered = true;
        return result.rows[0]!.n;
      });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);
    await a.query('commit');
    expect(await read).toBe('1');
  });

  it('rolls back the transaction of a client that goes away, and serves the others', async () => {
    const [a, b] = await Promise.all([connected(), connected()]);
    await a.query('begin');
    await a.query(
      `insert into processes (workflow_id, process_type, case_reference, started_at) values ($1, 'child-protection-plan', 'CASE-G', now())`,
      ['wf-gone'],
    );
    const read = b.query<{ n: string }>('select count(*) as n from processes where workflow_id = $1', ['wf-gone']);
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    a.on('error', () => undefined);
    expect((await read).rows).toEqual([{ n: '0' }]);
    expect((await b.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('answers each of two clients its own parameterised queries when they interleave', async () => {
    const [a, b] = await Promise.all([connected(), connected()]);
    const ask = (client: Client, tag: string, i: number) =>
      client.query<{ v: string; n: number }>('select $1::text as v, $2::int + 1 as n', [`${tag}-${i}`, i]);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? ask(a, 'a', i) : ask(b, 'b', i))),
    );
    results.forEach((result, i) => expect(result.rows).toEqual([{ v: `${i % 2 === 0 ? 'a' : 'b'}-${i}`, n: i + 1 }]));
  });

  it('refuses a second server for the same directory while the first runs', async () => {
    await expect(servePglite({ pgliteDir })).rejects.toThrow(/another evidence server already listens/);
  });
});

describe('the PGlite server entry point, as `npm start` runs it', () => {
  it('says ready over IPC, serves DATA_DIR/evidence at its socket, and stops on SIGTERM', async () => {
    const dataDir = path.join(dir, 'data');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/evidence/pglite-server.ts')], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.once('message', (message) => (message === 'ready' ? resolve() : reject(new Error(String(message)))));
        void exited.then((code) => reject(new Error(`exited ${code} before ready: ${output}`)));
      });
      const { databaseUrl } = pgliteServerAddress({ pgliteDir: path.join(dataDir, 'evidence') });
      expect(output).toContain(databaseUrl);
      const store = await openEvidenceStore({ databaseUrl });
      await store.record([processRecord('wf-1'), deadlineRecord('wf-1', { step: 1 })]);
      expect((await store.worktray({ now: NOW, limit: 10 })).items).toHaveLength(1);
      await store.close();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('evidence store closed');
  });
});
