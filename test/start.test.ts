import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { devServerEnv } from './helpers/temporal';

const root = path.resolve(__dirname, '..');

function npmStart(env: NodeJS.ProcessEnv) {
  const child = spawn('npm', ['start'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const run = { output: '', exited: new Promise<void>((resolve) => child.once('exit', () => resolve())), stop: () => process.kill(-child.pid!, 'SIGINT') };
  child.stdout.on('data', (chunk) => (run.output += chunk));
  child.stderr.on('data', (chunk) => (run.output += chunk));
  return run;
}

const freePorts = () => {
  const base = 20_000 + Math.floor(Math.random() * 20_000);
  return { api: base, temporal: base + 1, ui: base + 2, smtp: base + 3, mail: base + 4 };
};

it('npm start brings up Temporal with its Web UI, the mail viewer, the worker and the API, and stops on Ctrl-C', async () => {
  const ports = freePorts();
  const run = npmStart({
    PORT: String(ports.api),
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.ui),
    SMTP_PORT: String(ports.smtp),
    MAIL_VIEWER_PORT: String(ports.mail),
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'deadlines-start-')),
  });
  const output = () => run.output;
  try {
    await expect.poll(output, { timeout: 90_000, interval: 250 }).toContain('ready; Ctrl-C stops everything');
    expect(output()).toContain(`Web UI       http://localhost:${ports.ui}`);
    expect(output()).toContain(`Mail viewer  http://127.0.0.1:${ports.mail}`);

    expect((await fetch(`http://127.0.0.1:${ports.api}/health`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${ports.mail}/`, { headers: { accept: 'text/html' } })).status).toBe(200);

    const started = await fetch(`http://127.0.0.1:${ports.api}/v1/need-to-know`, {
      method: 'POST',
      headers: { authorization: 'Bearer local-social-worker', 'content-type': 'application/json' },
      body: JSON.stringify({
        briefingId: 'START-1',
        caseReference: 'C-START',
        category: 2,
        item: 6,
        briefing: {
          child: { reference: 'X1', name: 'Test Child', legalStatus: 'cin' },
          concern: 'c',
          actionTaken: 'a',
          updateExpectedOn: '2030-01-01',
          contact: { name: 'n' },
        },
      }),
    });
    expect(started.status).toBe(201);
    // The draft reaches the local mail viewer through real SMTP.
    await expect
      .poll(async () => JSON.stringify(await (await fetch(`http://127.0.0.1:${ports.mail}/api/email`)).json()), { timeout: 20_000 })
      .toContain('case C-START');
  } finally {
    run.stop();
  }
  await run.exited;
  // Ctrl-C reaches the whole foreground group; the supervisor stops every child before exiting.
  await expect.poll(output, { timeout: 30_000 }).toContain('stopping');
  for (const port of [ports.api, ports.ui, ports.mail]) {
    await expect.poll(() => fetch(`http://127.0.0.1:${port}/`).then(() => 'open', () => 'closed'), { timeout: 30_000 }).toBe('closed');
  }
});

it('npm start uses an existing Temporal server when TEMPORAL_ADDRESS is set, and starts no dev server', async () => {
  const server = await devServerEnv();
  const ports = freePorts();
  const address = server.connection.options.address;
  const run = npmStart({ PORT: String(ports.api), TEMPORAL_ADDRESS: address, TEMPORAL_UI_PORT: String(ports.ui), SMTP_PORT: String(ports.smtp), MAIL_VIEWER_PORT: String(ports.mail), DATA_DIR: mkdtempSync(path.join(tmpdir(), 'deadlines-start-')) });
  try {
    await expect.poll(() => run.output, { timeout: 90_000, interval: 250 }).toContain('ready; Ctrl-C stops everything');
    expect(run.output).toContain(`Temporal     ${address} (existing server)`);
    expect(run.output).not.toContain('Web UI');
    await expect(fetch(`http://127.0.0.1:${ports.ui}/`)).rejects.toThrow(); // no dev server, so no UI of ours
    const read = await fetch(`http://127.0.0.1:${ports.api}/v1/need-to-know/NONE`, { headers: { authorization: 'Bearer local-pgl' } });
    expect(read.status).toBe(404); // the API reached the existing server
  } finally {
    run.stop();
    await run.exited;
    await server.teardown();
  }
});
