/**
 * Bearer JWTs from the authority's OpenID Connect provider, verified against its key set served
 * over real HTTP on loopback, beside the static token table.
 */
import { Client, Connection } from '@temporalio/client';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { createAuthenticator, defaultJwksTiming, type Authenticator, type JwksTiming } from '../../src/api/auth';
import { ProcessService } from '../../src/api/process-service';
import { calendarFromConfig, loadConfig, localTokens, type JwtConfig } from '../../src/config';
import { briefingRequest } from '../helpers/need-to-know';
import {
  AUDIENCE,
  ISSUER,
  nowSeconds,
  signingKey,
  startProvider,
  tokenFor,
  type Provider,
  type SigningKey,
} from '../helpers/oidc';
import { apiStack } from '../helpers/stack';

// Most of these routes answer before any workflow is touched: the service below is never reached.
const calendar = calendarFromConfig(loadConfig({}));
const unreachable = new ProcessService({
  client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
  taskQueue: 'unused',
  namespace: 'default',
  webUiUrl: 'http://x',
});

let provider: Provider;
let keyA: SigningKey;
let keyB: SigningKey;
let stranger: SigningKey;
const servers: Server[] = [];

beforeAll(async () => {
  [keyA, keyB, stranger] = await Promise.all([signingKey('key-a'), signingKey('key-b', 'ES256'), signingKey('key-a')]);
  provider = await startProvider([keyA]);
});
afterAll(async () => {
  for (const server of servers) server.close();
  await provider?.close();
});

const jwtConfig = (overrides: Partial<JwtConfig> = {}): JwtConfig => ({
  ...loadConfig({ AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, AUTH_JWKS_URL: provider.jwksUrl }).jwt!,
  ...overrides,
});

/** The real API on loopback with this authenticator; `call` answers status, headers and body. */
async function serve(authenticator: Authenticator) {
  const server = createApp({ service: unreachable, calendar, authenticator, log: () => undefined }).listen(
    0,
    '127.0.0.1',
  );
  servers.push(server);
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async (method: string, path: string, token: string | undefined, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      challenge: response.headers.get('www-authenticate'),
      text,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      body: (text ? JSON.parse(text) : undefined) as any,
    };
  };
}

// Any authenticated caller may use the calculator; starting a briefing needs a raising role.
const CALCULATE = '/v1/deadlines/calculate?rule=ntk-cat2-director&anchor=2026-03-02T10:00:00Z';
const START = '/v1/need-to-know';
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('JWTs from the identity provider', () => {
  let call: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    call = await serve(createAuthenticator({ tokens: localTokens, jwt: jwtConfig() }));
  });

  it('authenticates a signed token with a known role, as the person its sub claim names', async () => {
    const token = await tokenFor(keyA, { roles: ['social_worker'] });
    expect((await call('GET', CALCULATE, token)).status).toBe(200);
    // The role is held: the start is refused for its body (400), not for who sent it (403).
    expect((await call('POST', START, token, {})).status).toBe(400);
  });

  const refusals: Array<[string, () => Promise<string>, RegExp]> = [
    ['expired', () => tokenFor(keyA, { exp: nowSeconds() - 60 }), /expired/],
    ['not yet valid (nbf)', () => tokenFor(keyA, { nbf: nowSeconds() + 60 }), /not yet valid/],
    ['from another issuer', () => tokenFor(keyA, { iss: 'https://idp.elsewhere.example' }), /another issuer/],
    ['for another audience', () => tokenFor(keyA, { aud: 'some-other-service' }), /another audience/],
    ['without an expiry', () => tokenFor(keyA, { exp: undefined }), /no expiry/],
    [
      'unsigned (alg none)',
      async () =>
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: ISSUER, aud: AUDIENCE, sub: 'x', exp: nowSeconds() + 300 })}.`,
      /not signed with an accepted algorithm/,
    ],
    [
      'signed with a shared secret (HS256)',
      () =>
        new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: 'x', exp: nowSeconds() + 300 })
          .setProtectedHeader({ alg: 'HS256', kid: 'key-a' })
          .sign(new TextEncoder().encode('a shared secret of thirty-two bytes!')),
      /not signed with an accepted algorithm/,
    ],
    ['signed with an unknown key id', () => tokenFor(keyB, {}, { kid: 'key-unknown' }), /no key .* matches/],
    ['with a bad signature (another key, same kid)', () => tokenFor(stranger), /signature does not verify/],
    [
      'with a tampered payload',
      async () => {
        const [header, , signature] = (await tokenFor(keyA)).split('.');
        return `${header}.${b64({ iss: ISSUER, aud: AUDIENCE, sub: 'admin-1', roles: ['administrator'], exp: nowSeconds() + 300 })}.${signature}`;
      },
      /signature does not verify/,
    ],
    ['malformed (three parts, not JSON)', async () => 'abc.def.ghi', /malformed/],
    ['malformed (not a JWT, nor a known token)', async () => 'local-social-worker-2', /malformed/],
    ['without a person (no sub)', () => tokenFor(keyA, { sub: undefined }), /claim sub is not a person id/],
    ['with an empty person', () => tokenFor(keyA, { sub: '' }), /claim sub is not a person id/],
    ['with a person id too long', () => tokenFor(keyA, { sub: 'p'.repeat(129) }), /claim sub is not a person id/],
    ['with a person id not a string', () => tokenFor(keyA, { sub: 42 }), /claim sub is not a person id/],
  ];

  it.each(refusals)('refuses a token %s: 401 invalid_token with a reason, never echoing it', async (_, make, why) => {
    const token = await make();
    const response = await call('GET', CALCULATE, token);
    expect(response.status).toBe(401);
    expect(response.type).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    expect(response.body.detail).toMatch(why);
    expect(response.challenge).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"$/);
    for (const part of token.split('.').filter((p) => p.length > 4)) {
      expect(response.text).not.toContain(part);
      expect(response.challenge).not.toContain(part);
    }
  });

  it('allows the clock a few seconds of drift, no more', async () => {
    expect((await call('GET', CALCULATE, await tokenFor(keyA, { exp: nowSeconds() - 2 }))).status).toBe(200);
    expect((await call('GET', CALCULATE, await tokenFor(keyA, { nbf: nowSeconds() + 2 }))).status).toBe(200);
    expect((await call('GET', CALCULATE, await tokenFor(keyA, { exp: nowSeconds() - 10 }))).status).toBe(401);
  });

  it('takes a person id of up to 128 characters, recorded as is', async () => {
    expect((await call('GET', CALCULATE, await tokenFor(keyA, { sub: 'p'.repeat(128) }))).status).toBe(200);
  });

  it('ignores roles that are not the service’s: such a token authenticates, and every decision is 403', async () => {
    const token = await tokenFor(keyA, { roles: ['offline_access', 'uma_authorization', 'toString', '__proto__'] });
    expect((await call('GET', CALCULATE, token)).status).toBe(200);
    const start = await call('POST', START, token, {});
    expect(start.status).toBe(403);
    expect(start.body.detail).toMatch(/needs one of the roles/);
    // No roles claim at all: the same.
    expect((await call('POST', START, await tokenFor(keyA), {})).status).toBe(403);
  });

  it('takes the roles as an array or as one space-separated string', async () => {
    const asString = await tokenFor(keyA, { roles: 'offline_access social_worker' });
    expect((await call('POST', START, asString, {})).status).toBe(400);
    const mixed = await tokenFor(keyA, { roles: [7, { role: 'social_worker' }, 'team_manager'] });
    expect((await call('POST', START, mixed, {})).status).toBe(400);
    const neither = await tokenFor(keyA, { roles: { social_worker: true } });
    expect((await call('POST', START, neither, {})).status).toBe(403);
  });

  it('still takes the static tokens, checked first', async () => {
    expect((await call('GET', CALCULATE, 'local-social-worker')).status).toBe(200);
    expect((await call('POST', START, 'local-social-worker', {})).status).toBe(400);
    const none = await call('GET', CALCULATE, undefined);
    expect(none).toMatchObject({ status: 401, challenge: 'Bearer' });
  });
});

describe('configured claims', () => {
  it('reads the roles at a dotted path and the person from another claim', async () => {
    const call = await serve(
      createAuthenticator({
        tokens: {},
        jwt: jwtConfig({ rolesClaim: 'realm_access.roles', personClaim: 'preferred_username' }),
      }),
    );
    const token = await tokenFor(keyA, {
      sub: undefined,
      preferred_username: 'sam.worker',
      roles: ['director'],
      realm_access: { roles: ['default-roles', 'social_worker'] },
    });
    expect((await call('POST', START, token, {})).status).toBe(400);
    // The top-level `roles` claim is not the configured one.
    const wrongPlace = await tokenFor(keyA, { preferred_username: 'sam.worker', roles: ['social_worker'] });
    expect((await call('POST', START, wrongPlace, {})).status).toBe(403);
    const noPerson = await tokenFor(keyA, { realm_access: { roles: ['social_worker'] } });
    expect((await call('GET', CALCULATE, noPerson)).body.detail).toMatch(/claim preferred_username is not a person id/);
  });

  it('reads the caller’s teams from the teams claim, or from AUTH_TEAMS_CLAIM’s dotted path', async () => {
    const byDefault = createAuthenticator({ tokens: {}, jwt: jwtConfig() });
    const token = await tokenFor(keyA, { roles: ['team_manager'], teams: ['assessment-north', 'a name', 7] });
    expect(await byDefault.callerFor(`Bearer ${token}`)).toEqual({
      actor: { id: expect.any(String), roles: ['team_manager'] },
      teams: ['assessment-north'],
    });
    const nested = createAuthenticator({ tokens: {}, jwt: jwtConfig({ teamsClaim: 'org.services' }) });
    const hos = await tokenFor(keyA, {
      roles: ['head_of_service'],
      org: { services: 'safeguarding children-in-care' },
    });
    expect((await nested.callerFor(`Bearer ${hos}`)).teams).toEqual(['safeguarding', 'children-in-care']);
    expect((await nested.callerFor(`Bearer ${token}`)).teams).toEqual([]); // the top-level claim is not the configured one
    // A static token's teams, and the actor alone as before.
    const local = createAuthenticator({ tokens: localTokens });
    expect(await local.callerFor('Bearer local-pgl')).toEqual({
      actor: { id: 'pgl-1', roles: ['pgl'] },
      teams: ['safeguarding'],
    });
    expect(await local.actorFor('Bearer local-pgl')).toEqual({ id: 'pgl-1', roles: ['pgl'] });
  });

  it('tries no JWT when JWT authentication is not configured', async () => {
    const call = await serve(createAuthenticator({ tokens: localTokens }));
    const response = await call('GET', CALCULATE, await tokenFor(keyA, { roles: ['social_worker'] }));
    expect(response).toMatchObject({ status: 401, challenge: expect.stringMatching(/invalid_token/) });
    expect(response.body.detail).toMatch(/known token/);
  });
});

describe('the provider’s key set', () => {
  const quick: JwksTiming = { ...defaultJwksTiming, timeoutMs: 500, cooldownMs: 200 };

  it('fetches a new key set when a token names a key id it has not seen (a rotation)', async () => {
    provider.publish([keyA]);
    const call = await serve(createAuthenticator({ tokens: {}, jwt: jwtConfig() }, quick));
    const before = provider.fetches();
    expect((await call('GET', CALCULATE, await tokenFor(keyA))).status).toBe(200);
    expect(provider.fetches()).toBe(before + 1);
    // Cached: the next token with a known key id fetches nothing.
    expect((await call('GET', CALCULATE, await tokenFor(keyA))).status).toBe(200);
    expect(provider.fetches()).toBe(before + 1);

    provider.publish([keyB]);
    await new Promise((r) => setTimeout(r, quick.cooldownMs + 50));
    expect((await call('GET', CALCULATE, await tokenFor(keyB))).status).toBe(200);
    expect(provider.fetches()).toBe(before + 2);
    // The retired key is gone from the set now in use.
    const retired = await call('GET', CALCULATE, await tokenFor(keyA));
    expect(retired.status).toBe(401);
    expect(retired.body.detail).toMatch(/no key .* matches/);
  });

  it('answers 503, promptly, when the key set does not arrive or is not one', async () => {
    for (const jwksUrl of [provider.hangingUrl, provider.failingUrl]) {
      const call = await serve(createAuthenticator({ tokens: {}, jwt: jwtConfig({ jwksUrl }) }, quick));
      const started = Date.now();
      const response = await call('GET', CALCULATE, await tokenFor(keyA));
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(response.status, jwksUrl).toBe(503);
      expect(response.type).toMatch(/^application\/problem\+json/);
      expect(response.body.title).toBe('Identity provider unavailable');
    }
  });
});

describe('a JWT-authenticated social worker on the real stack', () => {
  let stack: Awaited<ReturnType<typeof apiStack>>;
  beforeAll(async () => {
    const jwt = jwtConfig();
    stack = await apiStack(localTokens, { authenticator: createAuthenticator({ tokens: localTokens, jwt }) });
  });
  afterAll(() => stack?.stop());

  it('starts a Need to Know briefing, recorded as the person the token names', async () => {
    const token = await tokenFor(keyA, { sub: 'jwt-sw-7', roles: ['social_worker', 'offline_access'] });
    provider.publish([keyA]);
    const started = await stack.call(
      'POST',
      '/v1/need-to-know',
      token,
      briefingRequest('JWT1', { people: { social_worker: ['sam.worker@example.test'] } }),
    );
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ id: 'JWT1', status: 'open' });
    // Read back with a static token: both kinds work side by side.
    const read = await stack.call('GET', '/v1/need-to-know/JWT1', 'local-pgl');
    expect(read.status).toBe(200);
    expect(read.body.events[0]).toMatchObject({ type: 'raised', actor: 'jwt-sw-7' });
  });
});
