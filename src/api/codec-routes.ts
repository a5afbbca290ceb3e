/**
 * The codec server: lets an administrator read the encrypted history in the Temporal Web UI (or
 * `temporal workflow show --codec-endpoint`). Temporal's remote codec protocol: `POST /codec/decode`
 * and `POST /codec/encode`, each taking and answering `{ payloads: [{ metadata, data }] }` in
 * proto3 JSON (every metadata value and the data in base64).
 *
 * The Web UI calls from the browser, so this answers CORS for the configured Web UI origin only.
 */
import { ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { isLoopbackAddress } from '../loopback';
import type { Actor } from '../process';
import { authenticate, requireRole, type Authenticator } from './auth';
import { HttpProblem, parse } from './problem';

export interface CodecDeps {
  codec: PayloadCodec;
  /** The one namespace whose payloads this codec holds the keys to. */
  namespace: string;
  /** The origins the Web UI is served from: the only ones CORS admits. */
  webUiOrigins: readonly string[];
  /**
   * Local development only (`npm start`, CODEC_LOCAL_UI): the dev server's Web UI has no sign-in,
   * so a request with no token is answered when it comes from a Web UI origin over loopback.
   */
  trustLocalUi?: boolean;
}

const MAX_PAYLOADS = 256;
/** Temporal refuses a payload above 2 MB; metadata values are short names (encoding, key id). */
const MAX_DATA_BYTES = 2 * 1024 * 1024;
const MAX_METADATA_VALUE_BYTES = 4096;
const MAX_METADATA_ENTRIES = 32;
const BODY_LIMIT = '4mb';

const base64Of = (maxBytes: number) =>
  z.base64('expected standard base64').max(Math.ceil(maxBytes / 3) * 4, `at most ${maxBytes} bytes`);

const metadataSchema = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9._-]{0,127}$/, 'a metadata name'), base64Of(MAX_METADATA_VALUE_BYTES))
  .refine(
    (metadata) => Object.keys(metadata).length <= MAX_METADATA_ENTRIES,
    `at most ${MAX_METADATA_ENTRIES} entries`,
  );
/** zod drops a `__proto__` key from a record without a word: refuse it rather than lose it. */
const ownNames = z
  .unknown()
  .refine((value) => !(typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__')), {
    message: 'a metadata name (__proto__ is not one)',
  });

const payloadSchema = z.strictObject({
  metadata: ownNames.pipe(metadataSchema).optional(),
  // proto3 JSON leaves out an empty field: a payload may have no data (or no metadata).
  data: base64Of(MAX_DATA_BYTES).default(''),
});
const bodySchema = z.strictObject({ payloads: z.array(payloadSchema).max(MAX_PAYLOADS) });
type JsonPayload = z.infer<typeof payloadSchema>;

const fromJson = ({ metadata = {}, data }: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(metadata).map(([name, value]) => [name, Buffer.from(value, 'base64')])),
  data: Buffer.from(data, 'base64'),
});
const toJson = ({ metadata, data }: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(metadata ?? {}).map(([name, value]) => [name, Buffer.from(value ?? []).toString('base64')]),
  ),
  data: Buffer.from(data ?? []).toString('base64'),
});

/**
 * One payload at a time, so the answer names which one failed. The codec's own refusals (an
 * unknown key id, a truncated payload) say why; anything else is a payload altered or sealed with
 * another key under the same id. Never the plaintext, never a 500 for a client's payload.
 */
async function decodeEach(codec: PayloadCodec, payloads: Payload[]): Promise<Payload[]> {
  const decoded: Payload[] = [];
  for (const [index, payload] of payloads.entries()) {
    try {
      decoded.push(...(await codec.decode([payload])));
    } catch (error) {
      const why =
        error instanceof ValueError
          ? error.message
          : 'could not be decrypted (altered, or encrypted with another key under the same id)';
      throw new HttpProblem(422, 'Payload not decodable', `payloads.${index}: ${why}`);
    }
  }
  return decoded;
}

const ALLOWED_HEADERS = 'content-type, x-namespace, authorization';

/** CORS for the Web UI's origins only; any other origin gets no CORS header, so its browser reads nothing. */
function webUiCors(origins: readonly string[]): RequestHandler {
  return (req, res, next) => {
    res.vary('Origin');
    const origin = req.get('origin');
    const allowed = origin !== undefined && origins.includes(origin);
    if (allowed) {
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Access-Control-Allow-Credentials', 'true');
    }
    if (req.method !== 'OPTIONS') return next();
    if (allowed) {
      res.set('Access-Control-Allow-Methods', 'POST');
      res.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.set('Access-Control-Max-Age', '600');
    }
    res.set('Allow', 'POST, OPTIONS').status(204).end();
  };
}

const localWebUi: Actor = { id: 'local-web-ui', roles: ['administrator'] };

/** The caller: a token's person, or (local development only) the dev server's Web UI on this machine. */
function identify(authenticator: Authenticator, { webUiOrigins, trustLocalUi = false }: CodecDeps): RequestHandler {
  const byToken = authenticate(authenticator);
  return (req, res, next) => {
    const origin = req.get('origin');
    const fromLocalUi =
      trustLocalUi &&
      req.get('authorization') === undefined &&
      origin !== undefined &&
      webUiOrigins.includes(origin) &&
      isLoopbackAddress(req.socket.remoteAddress);
    if (!fromLocalUi) return byToken(req, res, next);
    req.actor = localWebUi;
    next();
  };
}

export function codecRouter(authenticator: Authenticator, deps: CodecDeps): Router {
  const checks: RequestHandler = (req, _res, next) => {
    requireRole(req.actor, ['administrator'], 'the codec server (decrypted payloads)');
    const namespace = req.get('x-namespace');
    if (namespace !== undefined && namespace !== deps.namespace) {
      throw new HttpProblem(
        400,
        'Wrong namespace',
        `this codec server holds the keys of namespace ${deps.namespace} only`,
      );
    }
    if (!req.is('application/json')) throw new HttpProblem(415, 'Unsupported media type', 'send application/json');
    next();
  };
  // Who first: nobody unknown makes the service read, inflate or parse a body.
  const guarded = [identify(authenticator, deps), checks, express.json({ limit: BODY_LIMIT })];
  const route =
    (run: (payloads: Payload[]) => Promise<Payload[]>): RequestHandler =>
    async (req, res) => {
      const { payloads } = parse(bodySchema, req.body);
      const answered = await run(payloads.map(fromJson));
      // Decrypted child data: no cache, in the browser or between, keeps a copy.
      res.set('Cache-Control', 'no-store').json({ payloads: answered.map(toJson) });
    };

  const router = express.Router();
  router.use(webUiCors(deps.webUiOrigins));
  router.post(
    '/decode',
    ...guarded,
    route((payloads) => decodeEach(deps.codec, payloads)),
  );
  router.post(
    '/encode',
    ...guarded,
    route((payloads) => deps.codec.encode(payloads)),
  );
  return router;
}
