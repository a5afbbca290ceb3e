/**
 * Sign-in with the authority's OpenID Connect provider (authorisation code with PKCE, state and
 * nonce, openid-client v6). The person, roles and teams come from the ID token's claims, read as the
 * API's JWT authenticator reads an access token's (AUTH_PERSON_CLAIM, AUTH_ROLES_CLAIM).
 */
import * as client from 'openid-client';
import { claimAt, rolesFrom, teamsFrom } from '../api/auth';
import { isLoopbackHost } from '../loopback';
import type { WebConfig } from '../config';
import type { PendingLogin, SignedIn } from './session';

export type OidcConfig = NonNullable<WebConfig['oidc']>;

export interface OidcSignIn {
  /** Where the provider sends the person back: PUBLIC_URL + /sign-in/callback. */
  redirectUri: string;
  /** The provider's authorisation URL, and what must come back with the person. */
  begin(returnTo: string): Promise<{ url: string; pending: PendingLogin }>;
  /** The signed-in person for the provider's callback; throws on any failed check. */
  complete(callbackUrl: URL, pending: PendingLogin): Promise<SignedIn>;
}

/** A login not completed within this long is refused: the person starts again. */
const LOGIN_WITHIN_MS = 10 * 60 * 1000;
const MAX_PERSON_ID_LENGTH = 128;

/**
 * The provider's metadata is fetched at the first sign-in, not at start (the API starts while the
 * provider is down), and fetched again after a failure.
 */
export function createOidcSignIn(config: OidcConfig, publicUrl: string): OidcSignIn {
  const issuer = new URL(config.issuer);
  // http only to a provider on this machine (tests, a local provider), as AUTH_JWKS_URL allows.
  const insecure = issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname);
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = () =>
    (discovered ??= client
      .discovery(
        issuer,
        config.clientId,
        undefined,
        config.clientSecret === undefined ? client.None() : client.ClientSecretPost(config.clientSecret),
        insecure ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      }));
  const redirectUri = new URL('/sign-in/callback', publicUrl).href;
  return {
    redirectUri,
    async begin(returnTo) {
      const codeVerifier = client.randomPKCECodeVerifier();
      const pending: PendingLogin = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier,
        returnTo,
        startedAt: Date.now(),
      };
      const url = client.buildAuthorizationUrl(await configuration(), {
        redirect_uri: redirectUri,
        scope: 'openid profile',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url: url.href, pending };
    },
    async complete(callbackUrl, pending) {
      if (Date.now() - pending.startedAt > LOGIN_WITHIN_MS) throw new Error('the sign-in took too long');
      const tokens = await client.authorizationCodeGrant(await configuration(), callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('the provider sent no ID token');
      const person = claimAt(claims, config.personClaim);
      if (typeof person !== 'string' || person.length === 0 || person.length > MAX_PERSON_ID_LENGTH) {
        throw new Error(`the ID token claim ${config.personClaim} is not a person id`);
      }
      return {
        id: person,
        roles: rolesFrom(claimAt(claims, config.rolesClaim)),
        teams: teamsFrom(claimAt(claims, config.teamsClaim)),
        via: 'oidc',
      };
    },
  };
}
