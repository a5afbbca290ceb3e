import type { LogEntry } from '@temporalio/worker';

/** Log lines captured by test/setup.ts. */
export const capturedLogs = (): LogEntry[] => (globalThis as { __temporalLogs?: LogEntry[] }).__temporalLogs ?? [];
