/**
 * The one logger of the API and the worker: JSON lines (pino) on stdout, at the configured LOG_LEVEL.
 *
 * What is logged is chosen field by field at each call: ids, roles, counts, statuses and timings,
 * never a request body, a header value, a token, a name or an email's subject or text (child
 * protection data, UK GDPR). Errors keep only their name, message and stack: the other properties
 * an error carries (a failure's details, a request's options) may quote the input.
 */
import type { LogLevel as SdkLogLevel, Logger as SdkLogger, LogMetadata } from '@temporalio/common';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export interface SafeError {
  type: string;
  message: string;
  stack?: string;
}

/** An error as a log field: its kind, message and stack, nothing else it carries. */
export function safeError(error: unknown): SafeError {
  if (error instanceof Error) return { type: error.name, message: error.message, stack: error.stack };
  return { type: typeof error, message: String(error) };
}

export interface LoggerOptions {
  level: LogLevel;
  /** Which program wrote the line: `api` or `worker`. */
  service: string;
  /** Where the lines go: stdout unless told (tests capture them). */
  destination?: DestinationStream;
}

export function createLogger({ level, service, destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names, not numbers: a line reads the same in a terminal and in a log search.
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: safeError },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** For tests and tools that must not print: drops every line. */
export const silentLogger: Logger = pino({ level: 'silent' });

const sdkLevels: Record<SdkLogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal SDK's `Logger` over pino, for `Runtime.install({ logger })`: the worker's own lines,
 * the Rust core's (forwarded), and every workflow `log` and activity `log` call come through it.
 * Metadata is kept as fields (workflow id, activity type, …); an `error` becomes `err`, kept safe by the serializer.
 */
export function temporalLogger(logger: Logger): SdkLogger {
  const log = (level: SdkLogLevel, message: string, meta?: LogMetadata) => {
    const { error, ...fields } = meta ?? {};
    logger[sdkLevels[level]]({ ...fields, ...(error === undefined ? {} : { err: error }) }, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
