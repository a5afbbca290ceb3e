/* global process, console, setTimeout */
/**
 * Preloaded (`node --require scripts/supervised-child.cjs --import tsx worker/index.ts`) into
 * every Node child of `npm start` (src/main.ts); plain JavaScript, so it needs no loader, and it
 * does nothing in the worker's threads or when run without the supervisor.
 *
 * The IPC channel to the supervisor never keeps the child alive, and when it closes because the
 * supervisor died (even by SIGKILL, which it cannot catch) the child stops itself as on SIGTERM,
 * so no orphan keeps polling Temporal or holding the API's port. Both entry points stop in order
 * on SIGTERM; one that has not exited 10 s later is ended.
 */
'use strict';

if (process.channel) {
  process.channel.unref();
  process.once('disconnect', () => {
    console.error(`[supervised] ${new Date().toISOString()} the supervisor is gone; stopping`);
    setTimeout(() => process.exit(1), 10_000).unref();
    process.kill(process.pid, 'SIGTERM');
  });
}
