/** The supervision behind `npm start` (src/supervisor.ts), with real child processes. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readIdentity, restartDelay, stopLeftover, SupervisedChild, type ChildSpec } from '../src/supervisor';

const root = path.resolve(__dirname, '..');
const dir = () => mkdtempSync(path.join(tmpdir(), 'deadlines-supervisor-'));
const alive = (pid: number) => readIdentity(pid) !== undefined;

function nodeSpec(work: string, script: string, extra: Partial<ChildSpec> = {}): ChildSpec {
  return {
    name: 'child',
    command: process.execPath,
    args: ['-e', script],
    logFile: path.join(work, 'child.log'),
    pidFile: path.join(work, 'child.pid'),
    ipc: true,
    isOurs: () => true,
    ...extra,
  };
}

/** A detached process that outlives its parent, as a child of a killed supervisor does. */
function detached(script: string, ...args: string[]) {
  const child = spawn(process.execPath, ['-e', script, ...args], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}

describe('restart backoff', () => {
  it('doubles from 1 s to a 30 s cap', () => {
    const policy = { initialMs: 1_000, maxMs: 30_000, stableMs: 60_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => restartDelay(n, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('restarts a dying child with growing delays, says so, and starts again from the shortest after a stable run', async () => {
    const work = dir();
    const runs = path.join(work, 'runs');
    writeFileSync(runs, '0');
    // Runs 1-4 die at once; run 5 stays up past the stable time; run 6 dies at once and then stays up.
    const script = `
      const fs = require('fs'); const n = Number(fs.readFileSync(${JSON.stringify(runs)}, 'utf8')) + 1;
      fs.writeFileSync(${JSON.stringify(runs)}, String(n));
      process.send('ready');
      if (n <= 4 || n === 6) setTimeout(() => process.exit(3), 20);
      else if (n === 5) setTimeout(() => process.kill(process.pid, 'SIGKILL'), 2000);
      else setInterval(() => {}, 1000);`;
    const lines: string[] = [];
    const child = new SupervisedChild(nodeSpec(work, script), {
      say: (line) => lines.push(line),
      backoff: { initialMs: 100, maxMs: 400, stableMs: 1_500 },
    });
    try {
      await child.ready(10_000);
      await expect.poll(() => readFileSync(runs, 'utf8'), { timeout: 15_000 }).toBe('7');
      await expect.poll(() => lines.filter((l) => l.includes('running again')).length, { timeout: 5_000 }).toBe(6);
      expect(lines.filter((l) => l.includes('restarting'))).toEqual([
        'child exited (exit 3); restarting in 0.1 s (restart 1)',
        'child exited (exit 3); restarting in 0.2 s (restart 2)',
        'child exited (exit 3); restarting in 0.4 s (restart 3)',
        'child exited (exit 3); restarting in 0.4 s (restart 4)',
        'child exited (SIGKILL); restarting in 0.1 s (restart 5)',
        'child exited (exit 3); restarting in 0.2 s (restart 6)',
      ]);
      expect(Number(readFileSync(path.join(work, 'child.pid'), 'utf8'))).toBe(child.pid);
      expect(readFileSync(path.join(work, 'child.log'), 'utf8').match(/child started \(pid \d+\)/g)).toHaveLength(7);
    } finally {
      await child.stop(2_000);
    }
    expect(existsSync(path.join(work, 'child.pid'))).toBe(false);
  });

  it('fails the start, without restarting, when the first run exits before it is ready', async () => {
    const work = dir();
    const lines: string[] = [];
    const child = new SupervisedChild(nodeSpec(work, 'process.exit(7)'), { say: (line) => lines.push(line) });
    await expect(child.ready(10_000)).rejects.toThrow(/child exited during start \(exit 7\); see .*child\.log/);
    expect(lines).toEqual([]);
  });

  it('takes a probe for readiness when the child cannot say it', async () => {
    const work = dir();
    const flag = path.join(work, 'flag');
    const child = new SupervisedChild(
      nodeSpec(
        work,
        `setTimeout(() => require('fs').writeFileSync(${JSON.stringify(flag)}, ''), 300); setInterval(() => {}, 1000)`,
        { ipc: false },
      ),
      { say: () => undefined },
    );
    try {
      await child.ready(10_000, async () => existsSync(flag));
    } finally {
      await child.stop(2_000);
    }
    await expect(child.ready(1_000)).resolves.toBeUndefined(); // stays ready once it was
  });
});

describe('stopping', () => {
  it('ends a child that ignores SIGTERM with SIGKILL after the grace time', async () => {
    const work = dir();
    const child = new SupervisedChild(
      nodeSpec(work, `process.on('SIGTERM', () => {}); process.send('ready'); setInterval(() => {}, 1000)`),
      { say: () => undefined },
    );
    await child.ready(10_000);
    const pid = child.pid!;
    const started = Date.now();
    await child.stop(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(alive(pid)).toBe(false);
  });

  it('stops a process left by an earlier run only when its pid file names one of ours', async () => {
    const work = dir();
    const pidFile = path.join(work, 'thing.pid');
    const marker = `marker-${process.pid}-${Date.now()}`;
    const stubborn = detached(`process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)`, marker);
    const stranger = detached('setInterval(() => {}, 1000)', 'someone-else');
    await expect.poll(() => readIdentity(stubborn)?.cmdline.includes(marker)).toBe(true);
    try {
      writeFileSync(pidFile, `${stranger}\n`);
      expect(await stopLeftover({ pidFile, isOurs: (id) => id.cmdline.includes(marker) }, 500)).toBeUndefined();
      expect(alive(stranger)).toBe(true); // a reused pid is left alone
      expect(existsSync(pidFile)).toBe(false); // and the stale pid file is gone

      writeFileSync(pidFile, `${stubborn}\n`);
      expect(await stopLeftover({ pidFile, isOurs: (id) => id.cmdline.includes(marker) }, 500)).toBe(stubborn);
      expect(alive(stubborn)).toBe(false); // SIGTERM ignored, so SIGKILL
      expect(await stopLeftover({ pidFile, isOurs: () => true })).toBeUndefined(); // nothing left
    } finally {
      for (const pid of [stubborn, stranger]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('a Node child with the preload stops itself when its supervisor is killed with SIGKILL', async () => {
    const work = dir();
    const out = path.join(work, 'grandchild.pid');
    // A stand-in supervisor: starts a child the way src/main.ts does, then waits to be killed.
    const supervisor = spawn(
      process.execPath,
      [
        '-e',
        `const { spawn } = require('child_process');
         const c = spawn(process.execPath, ['--require', ${JSON.stringify(path.join(root, 'scripts/supervised-child.cjs'))},
           '-e', "process.on('SIGTERM', () => { console.log('stopping in order'); process.exit(0) }); setInterval(() => {}, 1000)"],
           { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
         require('fs').writeFileSync(${JSON.stringify(out)}, String(c.pid)); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    supervisor.stdout.on('data', (chunk) => (output += chunk));
    supervisor.stderr.on('data', (chunk) => (output += chunk));
    await expect.poll(() => existsSync(out), { timeout: 10_000 }).toBe(true);
    const grandchild = Number(readFileSync(out, 'utf8'));
    await new Promise((r) => setTimeout(r, 300));
    expect(alive(grandchild)).toBe(true); // the IPC channel alone does not end it
    supervisor.kill('SIGKILL');
    await expect.poll(() => alive(grandchild), { timeout: 10_000 }).toBe(false);
    expect(output).toContain('the supervisor is gone; stopping');
  });
});
