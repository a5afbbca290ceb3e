/**
 * The codec server over real HTTP: only an administrator is answered; payloads round-trip through
 * Temporal's remote codec protocol; CORS admits the Web UI's origin only; the local Web UI's
 * token-less requests are answered only with that origin, over loopback, when trusted; bad bodies
 * and undecodable payloads are 4xx naming the fault, never a 500, and never quote the plaintext.
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodecDeps } from '../../src/api/codec-routes';
import type { TokenTable } from '../../src/config';
import { EncryptionCodec, newPayloadKey, parsePayloadKeys } from '../../src/payload-codec';
import { startCodecApi, type CodecApi } from '../helpers/codec-api';

const tokens: TokenTable = {
  'admin-token-001': { person: 'admin-1', roles: ['administrator'] },
  'social-worker-token': { person: 'sw-1', roles: ['social_worker'] },
  'case-system-token': { person: 'case-system', roles: ['case_system'] },
};
const ADMIN = { authorization: 'Bearer admin-token-001' };
const UI = 'http://localhost:8233';
const JSON_TYPE = { 'content-type': 'application/json' };

const keys = { 'key-2026-01': newPayloadKey(), 'key-2026-06': newPayloadKey() };
const codec = new EncryptionCodec(parsePayloadKeys(JSON.stringify(keys)));
const deps = (overrides: Partial<CodecDeps> = {}): CodecDeps => ({
  codec,
  namespace: 'default',
  webUiOrigins: [UI, 'http://127.0.0.1:8233'],
  ...overrides,
});

const secret = { child: 'Test Child', concern: 'marker-b7f3 missing since Monday' };
const b64 = (value: Uint8Array | string) => Buffer.from(value).toString('base64');
/** A payload as the Web UI sends it: proto3 JSON, every bytes field in base64. */
const json = (payload: Payload) => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
  data: b64(payload.data ?? new Uint8Array()),
});
const fromJson = (payload: { metadata: Record<string, string>; data: string }): Payload => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(payload.data, 'base64'),
});
const plainPayload = json(defaultPayloadConverter.toPayload(secret));

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** Raw HTTP, so the test sets Origin and every header exactly as a browser would. */
function send(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          body: text.startsWith('{') ? JSON.parse(text) : text,
        }),
      );
    });
    req.once('error', reject);
    req.end(payload);
  });
}

let api: CodecApi;
let trusting: CodecApi;
const post = (path: string, headers: Record<string, string>, body?: unknown, on: CodecApi = api) =>
  send(`${on.base}/codec${path}`, 'POST', { ...JSON_TYPE, ...headers }, body);

beforeAll(async () => {
  api = await startCodecApi(tokens, deps());
  trusting = await startCodecApi(tokens, deps({ trustLocalUi: true }));
});
afterAll(async () => {
  await api?.close();
  await trusting?.close();
});

describe('who the codec answers', () => {
  it('nobody without a known token (401), a non-administrator neither (403)', async () => {
    for (const path of ['/decode', '/encode']) {
      const none = await post(path, {}, { payloads: [plainPayload] });
      expect(none.status).toBe(401);
      expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((await post(path, { authorization: 'Bearer not-a-token' }, { payloads: [] })).status).toBe(401);
      expect((await post(path, { authorization: 'Bearer toString' }, { payloads: [] })).status).toBe(401);
      for (const token of ['social-worker-token', 'case-system-token']) {
        const refused = await post(path, { authorization: `Bearer ${token}` }, { payloads: [plainPayload] });
        expect(refused.status).toBe(403);
        expect(refused.body.detail).toContain('administrator');
      }
    }
  });

  it('an administrator: encode then decode gives the payload back, and nothing is cached', async () => {
    const encoded = await post('/encode', { ...ADMIN, 'x-namespace': 'default' }, { payloads: [plainPayload] });
    expect(encoded.status).toBe(200);
    expect(encoded.text).not.toContain('marker-b7f3');
    expect(encoded.text).not.toContain(b64('json/plain'));
    const [sealed] = encoded.body.payloads;
    expect(Buffer.from(sealed.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(sealed.metadata['encryption-key-id'], 'base64').toString()).toBe('key-2026-06');
    // The codec server's ciphertext is the workers': the same keys open it.
    expect(defaultPayloadConverter.fromPayload((await codec.decode([fromJson(sealed)]))[0]!)).toEqual(secret);

    const decoded = await post('/decode', { ...ADMIN, 'x-namespace': 'default' }, { payloads: [sealed] });
    expect(decoded.status).toBe(200);
    expect(decoded.headers['cache-control']).toBe('no-store');
    expect(decoded.body).toEqual({ payloads: [plainPayload] });
    expect(defaultPayloadConverter.fromPayload(fromJson(decoded.body.payloads[0]))).toEqual(secret);
  });

  it('decodes a history recorded before the codec unchanged, and an empty batch to an empty one', async () => {
    expect((await post('/decode', ADMIN, { payloads: [plainPayload] })).body).toEqual({ payloads: [plainPayload] });
    expect((await post('/decode', ADMIN, { payloads: [] })).body).toEqual({ payloads: [] });
    // proto3 JSON leaves empty fields out: a payload with neither metadata nor data.
    expect((await post('/decode', ADMIN, { payloads: [{}] })).body).toEqual({ payloads: [{ metadata: {}, data: '' }] });
  });

  it('another namespace (X-Namespace) is refused: its keys are not these', async () => {
    const other = await post('/decode', { ...ADMIN, 'x-namespace': 'other-council' }, { payloads: [plainPayload] });
    expect(other.status).toBe(400);
    expect(other.body.detail).toContain('namespace default only');
  });
});

describe('payloads it cannot decode', () => {
  it('one sealed with an unknown key: 422 naming the key id and which payload, never the plaintext', async () => {
    const retired = new EncryptionCodec(parsePayloadKeys(JSON.stringify({ 'key-2025-retired': newPayloadKey() })));
    const [sealed] = await retired.encode([fromJson(plainPayload)]);
    const answer = await post('/decode', ADMIN, { payloads: [plainPayload, json(sealed!)] });
    expect(answer.status).toBe(422);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.body.detail).toContain('payloads.1');
    expect(answer.body.detail).toContain('key-2025-retired');
    expect(answer.text).not.toContain('marker-b7f3');
  });

  it('one altered, truncated, or sealed under a known id with another key: 422, not 500', async () => {
    const [sealed] = await codec.encode([fromJson(plainPayload)]);
    const altered = Buffer.from(sealed!.data!);
    altered[20] = altered[20]! ^ 1;
    const impostor = new EncryptionCodec(parsePayloadKeys(JSON.stringify({ 'key-2026-06': newPayloadKey() })));
    const [forged] = await impostor.encode([fromJson(plainPayload)]);
    for (const bad of [{ ...sealed!, data: altered }, { ...sealed!, data: altered.subarray(0, 10) }, forged!]) {
      const answer = await post('/decode', ADMIN, { payloads: [json(bad)] });
      expect(answer.status).toBe(422);
      expect(answer.body.detail).toMatch(/^payloads\.0: /);
      expect(answer.text).not.toContain('marker-b7f3');
    }
    expect(api.logs.join('\n')).not.toContain('marker-b7f3');
  });
});

describe('bad bodies', () => {
  const big = 'A'.repeat(Math.ceil((2 * 1024 * 1024 + 3) / 3) * 4);
  const cases: Array<[string, unknown, string]> = [
    ['no payloads', {}, 'body.payloads'],
    ['payloads not a list', { payloads: 'x' }, 'body.payloads'],
    ['an unknown field', { payloads: [], extra: 1 }, 'body.extra'],
    ['an unknown payload field', { payloads: [{ ...plainPayload, dataa: '' }] }, 'body.payloads.0.dataa'],
    ['data not base64', { payloads: [{ metadata: {}, data: 'not base64!' }] }, 'body.payloads.0.data'],
    [
      'a metadata value not base64',
      { payloads: [{ metadata: { encoding: 'json/plain' } }] },
      'body.payloads.0.metadata.encoding',
    ],
    [
      'a metadata value not a string',
      { payloads: [{ metadata: { encoding: 1 } }] },
      'body.payloads.0.metadata.encoding',
    ],
    [
      'an inherited name as metadata key',
      JSON.parse('{"payloads":[{"metadata":{"__proto__":"eA=="}}]}'),
      'body.payloads.0.metadata',
    ],
    ['data over 2 MB', { payloads: [{ data: big }] }, 'body.payloads.0.data'],
    ['too many payloads', { payloads: Array.from({ length: 257 }, () => plainPayload) }, 'body.payloads'],
  ];
  it.each(cases)('%s: 400 naming the field', async (_what, body, path) => {
    for (const route of ['/decode', '/encode']) {
      const answer = await post(route, ADMIN, body);
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });

  it('malformed JSON is 400, another media type 415, a body over the limit 413', async () => {
    expect((await post('/decode', ADMIN, '{"payloads": [')).status).toBe(400);
    expect((await post('/decode', { ...ADMIN, 'content-type': 'text/plain' }, '{"payloads":[]}')).status).toBe(415);
    const huge = { payloads: [{ data: big }, { data: big }] };
    expect((await post('/decode', ADMIN, huge)).status).toBe(413);
    expect(api.logs.join('\n')).not.toContain('unexpected error');
  });
});

describe('CORS: the Web UI origin only', () => {
  const preflight = (origin: string, on = api) =>
    send(`${on.base}/codec/decode`, 'OPTIONS', {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-namespace,authorization',
    });

  it('answers the Web UI’s preflight, under either loopback name', async () => {
    for (const origin of [UI, 'http://127.0.0.1:8233']) {
      const answer = await preflight(origin);
      expect(answer.status).toBe(204);
      expect(answer.headers['access-control-allow-origin']).toBe(origin);
      expect(answer.headers['access-control-allow-methods']).toBe('POST');
      expect(answer.headers['access-control-allow-headers']).toBe('content-type, x-namespace, authorization');
      expect(answer.headers['access-control-allow-credentials']).toBe('true');
      expect(answer.headers['access-control-max-age']).toBe('600');
      expect(answer.headers.vary).toContain('Origin');
    }
  });

  it('gives any other origin no CORS header, on the preflight or the request', async () => {
    for (const origin of ['http://evil.example', 'http://localhost:8234', 'https://localhost:8233', 'null']) {
      const answer = await preflight(origin);
      expect(Object.keys(answer.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      expect(answer.headers.vary).toContain('Origin');
      const decoded = await post('/decode', { ...ADMIN, origin }, { payloads: [plainPayload] });
      expect(Object.keys(decoded.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('lets the Web UI read its answers, refusals included', async () => {
    const ok = await post('/decode', { ...ADMIN, origin: UI }, { payloads: [plainPayload] });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(UI);
    const refused = await post('/decode', { origin: UI }, { payloads: [plainPayload] });
    expect(refused.status).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(UI);
  });
});

describe('the local Web UI (CODEC_LOCAL_UI)', () => {
  it('is answered without a token from its own origin over loopback', async () => {
    const answer = await post(
      '/decode',
      { origin: UI, 'x-namespace': 'default' },
      { payloads: [plainPayload] },
      trusting,
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ payloads: [plainPayload] });
  });

  it('is not trusted from another origin, with no origin, or with a bad token; nor when not configured', async () => {
    const untrusted: Array<Record<string, string>> = [
      { origin: 'http://evil.example' },
      {},
      { origin: UI, authorization: 'Bearer not-a-token' },
    ];
    for (const headers of untrusted) {
      expect((await post('/decode', headers, { payloads: [plainPayload] }, trusting)).status).toBe(401);
    }
    expect((await post('/decode', { origin: UI }, { payloads: [plainPayload] }, api)).status).toBe(401);
    // A token, when sent, is what counts.
    const worker = { origin: UI, authorization: 'Bearer social-worker-token' };
    expect((await post('/decode', worker, { payloads: [plainPayload] }, trusting)).status).toBe(403);
  });

  it('is not trusted from another machine, even with the Web UI’s origin', async () => {
    // A real non-loopback peer: the API listens on this machine's network address and is called there.
    const address = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && !i.internal && i.family === 'IPv4')?.address;
    if (address === undefined) throw new Error('this test needs a non-loopback IPv4 interface (none found)');
    const outside = await startCodecApi(tokens, deps({ trustLocalUi: true }), address);
    try {
      expect((await post('/decode', { origin: UI }, { payloads: [plainPayload] }, outside)).status).toBe(401);
      expect((await post('/decode', { ...ADMIN, origin: UI }, { payloads: [plainPayload] }, outside)).status).toBe(200);
    } finally {
      await outside.close();
    }
  });
});
