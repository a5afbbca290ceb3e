import { readFileSync, statSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import path from 'node:path';
import { expect, it } from 'vitest';
import { isAlive, freePorts, newDataDir, npmStart, pidIn, READY, startEnv } from './helpers/start';
import { devServerEnv } from './helpers/temporal';
import { briefingRequest } from './helpers/need-to-know';

it('npm start brings up Temporal with its Web UI, the mail viewer, the evidence store, the worker and the API, and stops on Ctrl-C', async () => {
  const ports = freePorts();
  const dataDir = newDataDir();
  const run = npmStart(startEnv(ports, dataDir));
  const output = () => run.output;
  let children: number[] = [];
  try {
    await expect.poll(output, { timeout: 90_000, interval: 250 }).toContain(READY);
    expect(output()).toContain(`Web UI       http://localhost:${ports.ui}`);
    expect(output()).toContain(`Mail viewer  http://127.0.0.1:${ports.mail}`);

    // The payload key, created on the first run, readable by this user only; the retention, set.
    const keyFile = path.join(dataDir, 'payload-keys.json');
    expect(output()).toContain('[start] created the local payload key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(Object.keys(JSON.parse(readFileSync(keyFile, 'utf8')))).toHaveLength(1);
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    const { config } = await connection.workflowService.describeNamespace({ namespace: 'default' });
    await connection.close();
    expect(Number(config!.workflowExecutionRetentionTtl!.seconds)).toBe(30 * 86_400);

    // Five processes of their own, each with its pid file and its log in DATA_DIR.
    children = ['temporal', 'maildev', 'evidence', 'worker', 'api'].map((name) => pidIn(dataDir, name));
    expect(new Set([...children, pidIn(dataDir, 'start')]).size).toBe(6);
    for (const pid of children) expect(isAlive(pid)).toBe(true);
    expect(readFileSync(path.join(dataDir, 'worker.log'), 'utf8')).toContain(
      'worker polling task queue statutory-deadlines',
    );
    expect(readFileSync(path.join(dataDir, 'api.log'), 'utf8')).toContain(
      `API listening on http://127.0.0.1:${ports.api}/v1`,
    );

    // The evidence store: PGlite in DATA_DIR, served to the worker and the API by a child of its own.
    expect(output()).toContain(
      `Evidence     PGlite in ${path.join(dataDir, 'evidence')}, served to the worker and the API`,
    );
    expect(readFileSync(path.join(dataDir, 'evidence.log'), 'utf8')).toContain(
      `evidence store (PGlite in ${path.join(dataDir, 'evidence')})`,
    );
    const tray = await fetch(`http://127.0.0.1:${ports.api}/v1/worktray`, {
      headers: { authorization: 'Bearer local-director' },
    });
    expect(tray.status).toBe(200);
    expect(((await tray.json()) as { items: unknown[] }).items).toBeInstanceOf(Array);
    const report = await fetch(`http://127.0.0.1:${ports.api}/v1/reports/timeliness?from=2026-01-01&to=2026-12-31`, {
      headers: { authorization: 'Bearer local-team-manager', accept: 'text/csv' },
    });
    expect(report.status).toBe(200);
    expect(await report.text()).toMatch(/^kind,id,label,due,/);

    expect((await fetch(`http://127.0.0.1:${ports.api}/health`)).status).toBe(200);
    // The pages, their session cookies sealed with a secret made on the first run, this user's only.
    expect(statSync(path.join(dataDir, 'session-secret')).mode & 0o777).toBe(0o600);
    const home = await fetch(`http://127.0.0.1:${ports.api}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Statutory deadlines');
    expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${ports.mail}/`, { headers: { accept: 'text/html' } })).status).toBe(200);

    const started = await fetch(`http://127.0.0.1:${ports.api}/v1/need-to-know`, {
      method: 'POST',
      headers: { authorization: 'Bearer local-social-worker', 'content-type': 'application/json' },
      body: JSON.stringify(briefingRequest('START-1')),
    });
    expect(started.status).toBe(201);
    // The draft reaches the local mail viewer through real SMTP.
    await expect
      .poll(async () => JSON.stringify(await (await fetch(`http://127.0.0.1:${ports.mail}/api/email`)).json()), {
        timeout: 20_000,
      })
      .toContain('case CASE-START-1');
  } finally {
    run.stop();
  }
  // Ctrl-C reaches the whole foreground group; the supervisor stops every child in order.
  expect(await run.exited).toBe('SIGINT'); // npm's own way of ending on Ctrl-C, whatever its script returns
  expect(output()).toContain('stopping');
  expect(output()).toContain('[start] stopped API, worker, evidence store, mail catcher, Temporal dev server');
  for (const pid of children) expect(isAlive(pid)).toBe(false);
  for (const port of [ports.api, ports.ui, ports.mail]) {
    await expect
      .poll(
        () =>
          fetch(`http://127.0.0.1:${port}/`).then(
            () => 'open',
            () => 'closed',
          ),
        { timeout: 30_000 },
      )
      .toBe('closed');
  }
});

it('npm start uses an existing Temporal server when TEMPORAL_ADDRESS is set, and starts no dev server', async () => {
  const server = await devServerEnv();
  const ports = freePorts();
  const address = server.connection.options.address;
  const run = npmStart({ ...startEnv(ports, newDataDir()), TEMPORAL_ADDRESS: address });
  try {
    await expect.poll(() => run.output, { timeout: 90_000, interval: 250 }).toContain(READY);
    expect(run.output).toContain(`Temporal     ${address} (existing server)`);
    expect(run.output).not.toContain('Web UI');
    await expect(fetch(`http://127.0.0.1:${ports.ui}/`)).rejects.toThrow(); // no dev server, so no UI of ours
    const read = await fetch(`http://127.0.0.1:${ports.api}/v1/need-to-know/NONE`, {
      headers: { authorization: 'Bearer local-pgl' },
    });
    expect(read.status).toBe(404); // the API reached the existing server
  } finally {
    run.stop();
    await run.exited;
    await server.teardown();
  }
});

it('a dev server left by a supervisor killed with SIGKILL does not make the next npm start fail', async () => {
  const ports = freePorts();
  const dataDir = newDataDir();
  const first = npmStart(startEnv(ports, dataDir));
  await expect.poll(() => first.output, { timeout: 90_000, interval: 250 }).toContain(READY);
  const api = `http://127.0.0.1:${ports.api}/v1/need-to-know`;
  const headers = { authorization: 'Bearer local-social-worker', 'content-type': 'application/json' };
  const briefing = briefingRequest('LEFT-1');
  expect((await fetch(api, { method: 'POST', headers, body: JSON.stringify(briefing) })).status).toBe(201);

  const [devServer, mailCatcher, worker, apiChild, evidence] = ['temporal', 'maildev', 'worker', 'api', 'evidence'].map(
    (n) => pidIn(dataDir, n),
  );
  process.kill(pidIn(dataDir, 'start'), 'SIGKILL'); // no chance to stop its children
  await first.exited;
  // The dev server and the mail catcher are orphans that keep their ports; the Node children stop themselves.
  expect(isAlive(devServer!)).toBe(true);
  expect(isAlive(mailCatcher!)).toBe(true);
  await expect
    .poll(() => [isAlive(worker!), isAlive(apiChild!), isAlive(evidence!)], { timeout: 15_000 })
    .toEqual([false, false, false]);

  const second = npmStart(startEnv(ports, dataDir), { direct: true });
  try {
    await expect.poll(() => second.output, { timeout: 90_000, interval: 250 }).toContain(READY);
    expect(second.output).toContain(
      `[start] stopped the Temporal dev server left by an earlier run (pid ${devServer})`,
    );
    expect(second.output).toContain(`[start] stopped the mail catcher left by an earlier run (pid ${mailCatcher})`);
    expect(isAlive(devServer!)).toBe(false);
    expect(pidIn(dataDir, 'temporal')).not.toBe(devServer);
    expect(second.output).not.toContain('created the local payload key'); // the first run's key, kept
    // The same SQLite store: the briefing started before the crash is still there, and readable.
    const read = await fetch(`${api}/LEFT-1`, { headers });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { case: { reference: string } }).case.reference).toBe('CASE-LEFT-1');
    // The same evidence store, reopened after its server stopped itself.
    const tray = await fetch(`http://127.0.0.1:${ports.api}/v1/worktray`, { headers });
    expect(tray.status).toBe(200);

    // A second supervisor on the same DATA_DIR would stop this one's children: it refuses.
    const third = npmStart(startEnv(freePorts(), dataDir));
    expect(await third.exited).toBe(1);
    expect(third.output).toContain(
      `another npm start (pid ${pidIn(dataDir, 'start')}) is running with DATA_DIR ${dataDir}`,
    );
  } finally {
    second.stop();
  }
  expect(await second.exited).toBe(0); // the supervisor's own exit code after Ctrl-C
  expect(second.output).toContain('[start] stopped API, worker, evidence store, mail catcher, Temporal dev server');
}, 180_000);
