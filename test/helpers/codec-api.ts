/** The real API app with its codec server, listening on a real port, for the codec and Web UI tests. */
import { Client } from '@temporalio/client';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app';
import type { CodecDeps } from '../../src/api/codec-routes';
import { ProcessService } from '../../src/api/process-service';
import { calendarFromConfig, loadConfig, type TokenTable } from '../../src/config';

export interface CodecApi {
  /** `http://<host>:<port>`, the codec server at `${base}/codec`. */
  base: string;
  logs: string[];
  close(): Promise<void>;
}

/**
 * The codec routes touch no Temporal server: the process service gets a client whose connection
 * is opened only on first use, which these tests never make.
 */
export async function startCodecApi(tokens: TokenTable, codec: CodecDeps, host = '127.0.0.1'): Promise<CodecApi> {
  const config = loadConfig({});
  const logs: string[] = [];
  const app = createApp({
    service: new ProcessService({
      client: new Client(),
      taskQueue: 'codec-test',
      namespace: codec.namespace,
      webUiUrl: config.temporal.webUiUrl,
    }),
    calendar: calendarFromConfig(config),
    tokens,
    codec,
    log: (message, error) => logs.push(error === undefined ? message : `${message} ${String(error)}`),
  });
  const server: Server = app.listen(0, host);
  await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    logs,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
