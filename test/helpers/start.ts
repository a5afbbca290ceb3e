/** `npm start` as a user runs it, for the tests of the supervisor: free ports, a fresh DATA_DIR. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readIdentity } from '../../src/supervisor';

const root = path.resolve(__dirname, '../..');

export interface StartRun {
  readonly output: string;
  /** Resolves with npm's exit code (or the signal that ended it). */
  exited: Promise<number | NodeJS.Signals | null>;
  /** Ctrl-C in the terminal: SIGINT to the whole foreground process group. */
  stop(): void;
}

/**
 * `npm start`, or with `direct` the supervisor alone (`node --import tsx src/main.ts`, what
 * `npm start` runs once set-up is done): npm itself ends with SIGINT on Ctrl-C whatever its
 * script returns, so only the direct form shows the supervisor's own exit code.
 */
export function npmStart(env: NodeJS.ProcessEnv, { direct = false } = {}): StartRun {
  const [command, args] = direct ? [process.execPath, ['--import', 'tsx', 'src/main.ts']] : ['npm', ['start']];
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return {
    get output() {
      return output;
    },
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal))),
    stop: () => {
      try {
        process.kill(-child.pid!, 'SIGINT');
      } catch {
        // already gone
      }
    },
  };
}

export interface Ports {
  api: number;
  temporal: number;
  ui: number;
  smtp: number;
  mail: number;
}

export const freePorts = (): Ports => {
  const base = 20_000 + Math.floor(Math.random() * 20_000);
  return { api: base, temporal: base + 1, ui: base + 2, smtp: base + 3, mail: base + 4 };
};

export const newDataDir = () => mkdtempSync(path.join(tmpdir(), 'deadlines-start-'));

export const startEnv = (ports: Ports, dataDir: string): NodeJS.ProcessEnv => ({
  PORT: String(ports.api),
  TEMPORAL_PORT: String(ports.temporal),
  TEMPORAL_UI_PORT: String(ports.ui),
  SMTP_PORT: String(ports.smtp),
  MAIL_VIEWER_PORT: String(ports.mail),
  DATA_DIR: dataDir,
  // The worker's metrics endpoint too, so runs side by side (and a developer's own) never share its port.
  WORKER_METRICS_ADDRESS: `127.0.0.1:${ports.api + 5}`,
});

export const READY = 'ready; Ctrl-C stops everything';

export const pidIn = (dataDir: string, name: string) => Number(readFileSync(path.join(dataDir, `${name}.pid`), 'utf8'));
export const isAlive = (pid: number) => readIdentity(pid) !== undefined;
