/**
 * The Temporal Web UI in a real headless Chromium, against a real dev server whose history holds
 * only ciphertext: pointed at the API's codec server, as `npm start` points it (no sign-in, the
 * local-UI trust), the UI shows a workflow's input decrypted; without the codec endpoint it shows
 * the same workflow with its input as ciphertext only.
 */
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptionCodec, newPayloadKey, parsePayloadKeys } from '../src/payload-codec';
import { launchChromium } from './helpers/browser';
import { startCodecApi, type CodecApi } from './helpers/codec-api';

const temporalCli = path.resolve(__dirname, '../.tools/bin/temporal');
const codec = new EncryptionCodec(parsePayloadKeys(JSON.stringify({ 'web-ui-test': newPayloadKey() })));

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.once('listening', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

interface UiStack {
  uiBase: string;
  env: TestWorkflowEnvironment;
  /** Starts a workflow, encrypted, whose input carries `marker`; answers the page showing it. */
  start(marker: string): Promise<{ url: string; ciphertext: string }>;
  stop(): Promise<void>;
}

/** A dev server with its Web UI, the UI's codec endpoint set or not; no worker: the input is in the first event. */
async function devServerWithUi(uiPort: number, codecEndpoint: string | undefined): Promise<UiStack> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCli },
      uiPort,
      extraArgs: ['--ui-disable-news-fetch', ...(codecEndpoint ? ['--ui-codec-endpoint', codecEndpoint] : [])],
    },
  });
  const client = new Client({ connection: env.connection, dataConverter: { payloadCodecs: [codec] } });
  const uiBase = `http://127.0.0.1:${uiPort}`;
  return {
    uiBase,
    env,
    async start(marker) {
      const workflowId = `web-ui-${randomUUID()}`;
      const handle = await client.workflow.start('webUiTestWorkflow', {
        taskQueue: 'web-ui-test-no-worker',
        workflowId,
        args: [{ note: marker }],
      });
      // What the server stores (and a UI without the codec can show): the ciphertext.
      const history = await handle.fetchHistory();
      const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      const ciphertext = Buffer.from(input?.data ?? []).toString('base64');
      const url = `${uiBase}/namespaces/default/workflows/${workflowId}/${handle.firstExecutionRunId}/history`;
      return { url, ciphertext };
    },
    stop: () => env.teardown(),
  };
}

// Expressions evaluated in the page (the project's TypeScript has no DOM types).
const pageText = (page: Page) => page.evaluate('document.body.innerText') as Promise<string>;
const waitForText = (page: Page, text: string) =>
  page.waitForFunction(`document.body.innerText.includes(${JSON.stringify(text)})`, { timeout: 60_000 });

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

describe('the Web UI with the codec server (as npm start runs it)', () => {
  let api: CodecApi;
  let ui: UiStack;
  beforeAll(async () => {
    // The API first (its port is in the UI's codec endpoint), admitting the UI's origin to come.
    const uiPort = await freePort();
    const webUiOrigins = [`http://127.0.0.1:${uiPort}`];
    // No tokens at all: what the UI gets, it gets through the local-UI trust.
    api = await startCodecApi({}, { codec, namespace: 'default', webUiOrigins, trustLocalUi: true });
    ui = await devServerWithUi(uiPort, `${api.base}/codec`);
  });
  afterAll(async () => {
    await ui?.stop();
    await api?.close();
  });

  it('shows the decrypted input, fetched through the codec endpoint', async () => {
    const marker = `marker-${randomUUID()}`;
    const { url, ciphertext } = await ui.start(marker);
    expect(ciphertext.length).toBeGreaterThan(20);
    const page = await browser.newPage();
    const decodes: number[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith(`${api.base}/codec/decode`) && response.request().method() === 'POST')
        decodes.push(response.status());
    });
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await waitForText(page, marker);
    expect(decodes.length).toBeGreaterThan(0);
    expect(decodes.every((status) => status === 200)).toBe(true);
    expect(await pageText(page)).not.toContain(ciphertext);
    await page.close();
    expect(api.logs.join('\n')).not.toContain(marker);
  });
});

describe('the Web UI without the codec server', () => {
  let ui: UiStack;
  beforeAll(async () => {
    ui = await devServerWithUi(await freePort(), undefined);
  });
  afterAll(() => ui?.stop());

  it('shows the workflow and its input as ciphertext, never the plaintext', async () => {
    const marker = `marker-${randomUUID()}`;
    const { url, ciphertext } = await ui.start(marker);
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    // The page has rendered the input: the stored ciphertext is on it.
    await waitForText(page, ciphertext);
    expect(await pageText(page)).toContain('webUiTestWorkflow');
    expect(await pageText(page)).not.toContain(marker);
    expect(await page.content()).not.toContain(marker);
    await page.close();
  });
});
