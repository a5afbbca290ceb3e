import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';

/** Every SDK and workflow log line at WARN or above, so tests can check what logs reveal. */
const captured: LogEntry[] = ((globalThis as { __temporalLogs?: LogEntry[] }).__temporalLogs ??= []);

// Keep test output readable: the SDK's own INFO lines drown the assertions.
Runtime.install({
  logger: new DefaultLogger('WARN', (entry) => {
    captured.push(entry);
    console.error(`[${entry.level}] ${entry.message}`, entry.meta ?? '');
  }),
});
