import { Runtime } from '@temporalio/worker';
import { createLogger, temporalLogger } from '../src/logger';
import { logCapture, type LogCapture } from './helpers/logs';

/**
 * The Runtime logger of every test file is the worker's own (src/logger.ts, pino), writing to a
 * capture, so tests can check what the logs reveal. Once per process (each test file has its own),
 * before any connection. Only WARN and ERROR lines are printed: the SDK's INFO lines drown the assertions.
 */
const runtimeLogs = ((globalThis as { __runtimeLogs?: LogCapture }).__runtimeLogs ??= logCapture((line) => {
  if (line.level === 'warn' || line.level === 'error' || line.level === 'fatal') {
    const fields = Object.fromEntries(
      Object.entries(line).filter(([key]) => !['level', 'msg', 'time', 'service'].includes(key)),
    );
    console.error(`[${line.level.toUpperCase()}] ${line.msg}`, fields);
  }
}));

Runtime.install({
  logger: temporalLogger(createLogger({ level: 'info', service: 'worker', destination: runtimeLogs.stream })),
  telemetryOptions: { logging: { forward: {} } },
});
