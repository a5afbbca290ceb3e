/**
 * The process supervision behind `npm start`: each child runs in its own process group (Ctrl-C
 * reaches only the supervisor, which stops the children in order), writes its output to a log
 * file and its pid to a pid file, and is restarted with exponential backoff when it dies. A child
 * left running by an earlier supervisor (killed with SIGKILL, say) is found by its pid file and
 * stopped before a new one starts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';

export interface BackoffPolicy {
  /** The delay before the first restart; each further restart in a row doubles it. */
  initialMs: number;
  maxMs: number;
  /** A child that ran this long before dying counts as stable: its next restart waits initialMs again. */
  stableMs: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000, stableMs: 60_000 };

/** The delay before the nth restart in a row (n from 1): initial, doubling, capped. */
export function restartDelay(inARow: number, policy: BackoffPolicy): number {
  return Math.min(policy.initialMs * 2 ** Math.max(0, inARow - 1), policy.maxMs);
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/** What identifies a running process as one of ours: its command line and environment (from /proc). */
export interface ProcessIdentity {
  cmdline: string[];
  environ: string[];
}

export interface ChildSpec {
  /** Used in the supervisor's lines: "worker exited (SIGKILL); restarting in 1 s (restart 1)". */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
  pidFile: string;
  /** A Node child gets an IPC channel: it can say `ready`, and it sees the supervisor die. */
  ipc?: boolean;
  /** Whether a process found through the pid file is this child left by an earlier run. */
  isOurs(identity: ProcessIdentity): boolean;
}

export function readIdentity(pid: number): ProcessIdentity | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/^\d+ \(.*\) Z/s.test(stat)) return undefined; // a zombie holds no port
    const list = (file: string) => readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0').filter(Boolean);
    return { cmdline: list('cmdline'), environ: list('environ') };
  } catch {
    return undefined; // gone, or not ours to read
  }
}

function readPid(pidFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const alive = (pid: number) => readIdentity(pid) !== undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(100)) if (!alive(pid)) return true;
  return !alive(pid);
}

/** The pid in `pidFile` if that process is still running and `isOurs` recognises it. */
export function findLeftover(pidFile: string, isOurs: (identity: ProcessIdentity) => boolean): number | undefined {
  const pid = readPid(pidFile);
  if (pid === undefined || pid === process.pid) return undefined;
  const identity = readIdentity(pid);
  return identity && isOurs(identity) ? pid : undefined;
}

/** Stops a process: SIGTERM, then SIGKILL after `graceMs`. Resolves once it is gone. */
export async function terminate(pid: number, graceMs: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  if (await waitForExit(pid, graceMs)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  await waitForExit(pid, 5_000);
}

/**
 * Stops the process an earlier run left behind, if `pidFile` names one we recognise; removes the
 * stale pid file either way. Returns the pid stopped.
 */
export async function stopLeftover(spec: Pick<ChildSpec, 'pidFile' | 'isOurs'>, graceMs = 10_000) {
  const pid = findLeftover(spec.pidFile, spec.isOurs);
  if (pid !== undefined) await terminate(pid, graceMs);
  rmSync(spec.pidFile, { force: true });
  return pid;
}

export interface SupervisorOptions {
  backoff?: BackoffPolicy;
  /** Where the supervisor's own lines go (the terminal of `npm start`). */
  say: (line: string) => void;
}

/** One supervised child: started, watched, restarted after it dies, stopped on request. */
export class SupervisedChild {
  /** Restarts since the supervisor started (shown in its lines). */
  restarts = 0;
  private inARow = 0;
  private child?: ChildProcess;
  private startedAt = 0;
  private restartTimer?: NodeJS.Timeout;
  private stopping = false;
  private everReady = false;
  private readonly startup: Promise<void>;
  private settleStartup!: (error?: Error) => void;
  private readonly backoff: BackoffPolicy;

  constructor(
    readonly spec: ChildSpec,
    private readonly options: SupervisorOptions,
  ) {
    this.backoff = options.backoff ?? defaultBackoff;
    this.startup = new Promise<void>((resolve, reject) => {
      this.settleStartup = (error) => (error ? reject(error) : resolve());
    });
    this.startup.catch(() => undefined); // observed by whoever awaits ready()
    this.spawn();
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Resolves when the first run of the child is ready: when it says `ready` over IPC, or when
   * `probe` first resolves true. Rejects if that run exits first or `timeoutMs` passes; until
   * then the child is not restarted (a child that cannot start at all is a failed start).
   */
  async ready(timeoutMs: number, probe?: () => Promise<boolean>): Promise<void> {
    const timer = setTimeout(
      () => this.settleStartup(new Error(`${this.spec.name} was not ready within ${seconds(timeoutMs)}`)),
      timeoutMs,
    );
    let done = false;
    void this.startup.finally(() => (done = true)).catch(() => undefined);
    if (probe) {
      void (async () => {
        while (!done) {
          if (await probe().catch(() => false)) return this.markReady();
          await sleep(250);
        }
      })();
    }
    try {
      await this.startup;
    } finally {
      clearTimeout(timer);
    }
  }

  private markReady() {
    if (this.everReady || this.stopping) return;
    this.everReady = true;
    this.settleStartup();
  }

  private spawn() {
    const { spec } = this;
    const log = openSync(spec.logFile, 'a');
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', log, log, ...(spec.ipc ? (['ipc'] as const) : [])],
      detached: true, // own process group: a Ctrl-C in the terminal reaches only the supervisor
    });
    this.child = child;
    this.startedAt = Date.now();
    if (child.pid !== undefined) {
      writeSync(log, `[supervisor] ${new Date().toISOString()} ${spec.name} started (pid ${child.pid})\n`);
      writeFileSync(spec.pidFile, `${child.pid}\n`);
    }
    closeSync(log); // the child has its own copy
    child.on('message', (message) => {
      if (message !== 'ready') return;
      if (this.everReady) this.options.say(`${spec.name} is running again (pid ${child.pid})`);
      else this.markReady();
    });
    child.on('error', (error) => {
      // Only a failed spawn (no process at all) ends up here without an exit to follow.
      if (child.pid === undefined) this.exited(child, null, null, error);
    });
    child.on('exit', (code, signal) => this.exited(child, code, signal));
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null, error?: Error) {
    if (child !== this.child) return;
    this.child = undefined;
    rmSync(this.spec.pidFile, { force: true });
    if (this.stopping) return;
    const how = error ? error.message : (signal ?? `exit ${code}`);
    if (!this.everReady) {
      this.settleStartup(new Error(`${this.spec.name} exited during start (${how}); see ${this.spec.logFile}`));
      return;
    }
    if (Date.now() - this.startedAt >= this.backoff.stableMs) this.inARow = 0;
    this.inARow += 1;
    this.restarts += 1;
    const delay = restartDelay(this.inARow, this.backoff);
    this.options.say(`${this.spec.name} exited (${how}); restarting in ${seconds(delay)} (restart ${this.restarts})`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.stopping) this.spawn();
    }, delay);
  }

  /** Stops the child for good: SIGTERM, then SIGKILL after `graceMs`; cancels a pending restart. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.settleStartup(new Error(`${this.spec.name} stopped during start`));
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(killer);
    rmSync(this.spec.pidFile, { force: true });
  }
}
