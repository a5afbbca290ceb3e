import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');

it('npm start brings up Temporal with its Web UI, the mail viewer, the worker and the API, and stops on Ctrl-C', async () => {
  const base = 20_000 + Math.floor(Math.random() * 20_000);
  const ports = { api: base, temporal: base + 1, ui: base + 2, smtp: base + 3, mail: base + 4 };
  const env = {
    ...process.env,
    PORT: String(ports.api),
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.ui),
    SMTP_PORT: String(ports.smtp),
    MAIL_VIEWER_PORT: String(ports.mail),
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'deadlines-start-')),
  };
  const child = spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await expect.poll(() => output, { timeout: 90_000, interval: 250 }).toContain('ready; Ctrl-C stops everything');
    expect(output).toContain(`Web UI       http://localhost:${ports.ui}`);
    expect(output).toContain(`Mail viewer  http://127.0.0.1:${ports.mail}`);

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
    process.kill(-child.pid!, 'SIGINT');
  }
  await exited;
  // Ctrl-C reaches the whole foreground group; the supervisor stops every child before exiting.
  await expect.poll(() => output, { timeout: 30_000 }).toContain('stopping');
  for (const port of [ports.api, ports.ui, ports.mail]) {
    await expect.poll(() => fetch(`http://127.0.0.1:${port}/`).then(() => 'open', () => 'closed'), { timeout: 30_000 }).toBe('closed');
  }
});
