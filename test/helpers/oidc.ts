/**
 * A stand-in for the authority's OpenID Connect provider on loopback: it publishes a key set (JWKS)
 * over real HTTP and signs tokens with real keys, as the provider would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const ISSUER = 'https://idp.council.example/realms/childrens-services';
export const AUDIENCE = 'statutory-deadlines';

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function signingKey(kid: string, alg = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A token as the provider issues it; `claims` replaces or (with `undefined`) removes the usual ones. */
export function tokenFor(
  key: SigningKey,
  claims: Record<string, unknown> = {},
  header: { kid?: string; alg?: string } = {},
): Promise<string> {
  const now = nowSeconds();
  const payload = { iss: ISSUER, aud: AUDIENCE, sub: 'jwt-person-1', iat: now, exp: now + 300, ...claims };
  return new SignJWT(payload as JWTPayload)
    .setProtectedHeader({ alg: header.alg ?? key.alg, kid: header.kid ?? key.kid, typ: 'JWT' })
    .sign(key.privateKey);
}

export interface Provider {
  /** The key set's URL (http on loopback, which the configuration allows). */
  jwksUrl: string;
  /** A URL that accepts the connection and never answers. */
  hangingUrl: string;
  /** A URL that answers 500. */
  failingUrl: string;
  /** Publishes these keys from now on (a rotation). */
  publish(keys: SigningKey[]): void;
  /** How many times the key set was fetched. */
  fetches(): number;
  close(): Promise<void>;
}

export async function startProvider(keys: SigningKey[]): Promise<Provider> {
  let published = keys;
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === '/hang') return; // never answered: the verifier's timeout must end the wait
    if (req.url === '/fail') {
      res.writeHead(500).end();
      return;
    }
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    jwksUrl: `${base}/jwks`,
    hangingUrl: `${base}/hang`,
    failingUrl: `${base}/fail`,
    publish: (next) => {
      published = next;
    },
    fetches: () => fetches,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface AuthorizationServer {
  issuer: string;
  /** The authorisation requests the provider received (their query), to check PKCE, state and nonce. */
  requests: URLSearchParams[];
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider on loopback (`oidc-provider`), for the pages' sign-in: the
 * authorisation code flow with PKCE required, its own login and consent pages (any login name is an
 * account), and the ID token carrying each account's `claims` as `profile` claims.
 */
export async function startAuthorizationServer(options: {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  claims: (accountId: string) => Record<string, unknown>;
}): Promise<AuthorizationServer> {
  const { default: OidcProvider } = await import('oidc-provider');
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new OidcProvider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['roles', 'teams'] },
    // The profile claims in the ID token itself, as the authority's provider is set up to send them.
    conformIdTokenClaims: false,
    findAccount: (_ctx, accountId) => ({
      accountId,
      claims: () => ({ sub: accountId, ...options.claims(accountId) }),
    }),
    cookies: { keys: ['test-cookie-key-one'] },
    // Its own signing key, made for the run (not the library's built-in development key).
    jwks: { keys: [await exportJWK((await generateKeyPair('RS256', { extractable: true })).privateKey)] },
  });
  const requests: URLSearchParams[] = [];
  const callback = provider.callback();
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/auth') requests.push(url.searchParams);
    void callback(req, res);
  });
  return {
    issuer,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
