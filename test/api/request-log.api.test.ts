/**
 * The API's log lines, security headers and HTTP limits, on the real app over a real HTTP server on
 * loopback. The workflow service is unreachable (nothing here needs Temporal) or fails on purpose.
 */
import { Client, Connection } from '@temporalio/client';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { createHttpServer, httpLimits } from '../../src/api/http-server';
import { ProcessService } from '../../src/api/process-service';
import { calendarFromConfig, loadConfig, localTokens } from '../../src/config';
import { createLogger } from '../../src/logger';
import { logCapture, type LogCapture, type LogLine } from '../helpers/logs';
import { TASK_QUEUE } from '../helpers/temporal';

/** Our own fault on every start and decision: the 500 path. */
class FailingService extends ProcessService {
  override start(): never {
    throw new Error('the workflow service failed');
  }
  override update(): never {
    throw new Error('the workflow service failed');
  }
}

const service = new FailingService({
  client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 }) }),
  taskQueue: TASK_QUEUE,
  namespace: 'default',
  webUiUrl: 'http://localhost:8233',
});

let capture: LogCapture;
let server: Server;
let base: string;

beforeAll(async () => {
  const logger = createLogger({
    level: 'info',
    service: 'api',
    destination: { write: (line: string) => capture.stream.write(line) },
  });
  const app = createApp({ service, calendar: calendarFromConfig(loadConfig({})), tokens: localTokens, logger });
  server = createHttpServer(app).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server?.close(r)));
beforeEach(() => {
  capture = logCapture();
});

const SW = 'local-social-worker';
const requestLines = () => capture.lines().filter((line) => line.msg === 'request');
/** The request line is written when the response ends, a moment after the client has it. */
const settled = async (count = 1): Promise<LogLine[]> => {
  await expect.poll(() => requestLines().length).toBeGreaterThanOrEqual(count);
  return requestLines();
};

describe('request log lines', () => {
  it('one line per request: its id, method, route template, status, duration and actor, nothing else', async () => {
    const requestId = '0f8e4a52-3c1d-4b7e-9a6f-2d5c8b1e7a90';
    const response = await fetch(`${base}/v1/deadlines/rules?process=ntk`, {
      headers: { authorization: `Bearer ${SW}`, 'x-request-id': requestId },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const [line, ...more] = await settled();
    expect(more).toEqual([]);
    expect(Object.keys(line!).sort()).toEqual(
      ['level', 'time', 'service', 'requestId', 'method', 'route', 'status', 'durationMs', 'actor', 'msg'].sort(),
    );
    expect(line).toMatchObject({
      level: 'info',
      service: 'api',
      requestId,
      method: 'GET',
      route: '/v1/deadlines/rules',
      status: 200,
      actor: 'sw-1',
      msg: 'request',
    });
    expect(line!.durationMs).toBeTypeOf('number');
    expect(line!.durationMs as number).toBeGreaterThanOrEqual(0);
    expect(Date.parse(line!.time as string)).not.toBeNaN();
  });

  it('logs the route template, never the ids or query as sent; a request id that could spell words is replaced', async () => {
    const response = await fetch(`${base}/v1/need-to-know/B-SECRET-77/pgl-response?child=Alex`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer local-pgl',
        'content-type': 'application/json',
        'x-request-id': 'alex-example-2015-02-03',
      },
      body: JSON.stringify({ decision: 'approve' }),
    });
    expect(response.status).toBe(500);
    const echoed = response.headers.get('x-request-id')!;
    expect(echoed).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const [line] = await settled();
    expect(line).toMatchObject({
      requestId: echoed,
      method: 'POST',
      route: '/v1/need-to-know/:id/pgl-response',
      status: 500,
      actor: 'pgl-1',
    });
    // The 500 is logged at error with the message and stack, and the same request id.
    const failure = capture.lines().find((l) => l.level === 'error');
    expect(failure).toMatchObject({ msg: 'unexpected error', requestId: echoed });
    expect(failure!.err).toMatchObject({ type: 'Error', message: 'the workflow service failed' });
    expect((failure!.err as { stack: string }).stack).toContain('process-router');
    expect(capture.text()).not.toMatch(/SECRET|Alex|alex-example|2015-02-03/);
  });

  it('a body with a child’s name, a phone number and a token, sent in every shape, leaves none of them in the logs', async () => {
    const name = 'Zebedee Quillfeather';
    const phone = '07700 900123';
    const token = 'Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig';
    const body = {
      briefingId: 'L1',
      caseReference: 'CASE-L1',
      category: 2,
      item: 4,
      briefing: {
        child: { reference: 'C-L1', name, legalStatus: 'care_order' },
        concern: `Reported by ${name}; call ${phone}; ${token}`,
        actionTaken: 'Police informed.',
        updateExpectedOn: '2027-09-01',
        contact: { name, phone },
      },
    };
    const post = (text: string, headers: Record<string, string> = {}) =>
      fetch(`${base}/v1/need-to-know`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SW}`, 'content-type': 'application/json', ...headers },
        body: text,
      });
    const statuses = [
      (await post(JSON.stringify(body))).status, // reaches the failing service: 500
      (await post(JSON.stringify({ ...body, [name]: phone }))).status, // an unknown field: 400
      (await post(`{"name": "${name}", "phone": "${phone}", "token": "${token}"`)).status, // malformed JSON: 400
      (await post(JSON.stringify(body), { authorization: token })).status, // an unknown token: 401
      (await post(JSON.stringify(body), { 'x-request-id': name })).status,
    ];
    expect(statuses).toEqual([500, 400, 400, 401, 500]);
    const lines = await settled(5);
    expect(lines.map((l) => [l.route, l.status, l.actor])).toEqual([
      ['/v1/need-to-know', 500, 'sw-1'],
      ['/v1/need-to-know', 400, 'sw-1'],
      [null, 400, 'sw-1'], // refused by the body parser, before any route
      [null, 401, undefined],
      ['/v1/need-to-know', 500, 'sw-1'],
    ]);
    expect(capture.lines().map((l) => l.msg)).toEqual(
      expect.arrayContaining(['unexpected error', 'rejected a POST request: 400 Malformed JSON']),
    );
    const text = capture.text();
    for (const secret of [name, 'Zebedee', 'Quillfeather', phone, '900123', 'eyJhbGciOiJIUzI1NiJ9', SW, 'Police']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('security headers (helmet)', () => {
  const expectHelmet = (headers: Headers) => {
    const csp = headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(headers.get('x-powered-by')).toBeNull();
  };

  it('are on a JSON answer, a problem answer and the health check', async () => {
    const ok = await fetch(`${base}/v1/deadlines/rules`, { headers: { authorization: `Bearer ${SW}` } });
    expect(ok.status).toBe(200);
    expectHelmet(ok.headers);
    const unauthorized = await fetch(`${base}/v1/deadlines/rules`);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expectHelmet(unauthorized.headers);
    expectHelmet((await fetch(`${base}/health`)).headers);
  });

  it('let Swagger UI load: the page has no inline script, and every script and stylesheet it names is served here', async () => {
    const page = await fetch(`${base}/v1/docs/`);
    expect(page.status).toBe(200);
    expectHelmet(page.headers);
    const html = await page.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(attributes).toMatch(/src="\.\//); // script-src 'self' forbids inline code
      expect(inline!.trim()).toBe('');
    }
    const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map(([, asset]) => asset!);
    expect(assets).toEqual(expect.arrayContaining(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-init.js']));
    for (const asset of assets) expect((await fetch(`${base}/v1/docs/${asset}`)).status, asset).toBe(200);
  });
});

describe('HTTP limits', () => {
  it('answers 431 to headers over the limit, and serves headers under it', async () => {
    const padding = (bytes: number) => ({ authorization: `Bearer ${SW}`, 'x-padding': 'a'.repeat(bytes) });
    expect(httpLimits.maxHeaderBytes).toBe(16 * 1024);
    expect((await fetch(`${base}/v1/deadlines/rules`, { headers: padding(12 * 1024) })).status).toBe(200);
    expect((await fetch(`${base}/v1/deadlines/rules`, { headers: padding(17 * 1024) })).status).toBe(431);
  });

  it('closes a connection whose headers do not arrive within the headers timeout', async () => {
    const slow = createHttpServer((_req, res) => res.end('ok'), {
      ...httpLimits,
      headersTimeoutMs: 300,
      requestTimeoutMs: 600,
      timeoutCheckMs: 100,
    }).listen(0, '127.0.0.1');
    await new Promise((r) => slow.once('listening', r));
    try {
      const socket = connect((slow.address() as AddressInfo).port, '127.0.0.1');
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\n'); // and never the blank line that ends the headers
      const began = Date.now();
      const answer = await new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk) => (text += chunk));
        socket.on('close', () => resolve(text));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(Date.now() - began).toBeLessThan(2_000);
    } finally {
      slow.close();
    }
  });
});
