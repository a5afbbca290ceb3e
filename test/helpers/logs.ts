import type { DestinationStream } from 'pino';

/** One JSON log line, parsed. */
export type LogLine = Record<string, unknown> & { level: string; msg: string };

export interface LogCapture {
  /** A pino destination: every line written to it is kept. */
  stream: DestinationStream;
  lines(): LogLine[];
  /** Every line as written, for "contains nothing personal" checks. */
  text(): string;
}

export function logCapture(echo?: (line: LogLine) => void): LogCapture {
  const written: string[] = [];
  return {
    stream: {
      write(text: string) {
        written.push(text);
        echo?.(JSON.parse(text) as LogLine);
      },
    },
    lines: () => written.map((text) => JSON.parse(text) as LogLine),
    text: () => written.join(''),
  };
}

/** Every line the Temporal Runtime logger wrote in this test file (test/setup.ts): the SDK's, the workflows', the activities'. */
export const capturedLogs = (): LogLine[] =>
  (globalThis as { __runtimeLogs?: LogCapture }).__runtimeLogs?.lines() ?? [];
