/**
 * Who is calling (README "API"): a bearer token from the static table, or a JWT from the
 * authority's OpenID Connect provider. The actor recorded anywhere comes from here only.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { createRemoteJWKSet, errors, jwtVerify, type JWSAlgorithm, type JWTPayload } from 'jose';
import { actorRoles, type JwtConfig, type TokenTable } from '../config';
import { unitId } from '../organisation';
import type { Actor, Caller } from '../process';
import { HttpProblem } from './problem';

export type TokenRole = TokenTable[string]['roles'][number];
type TokenEntry = TokenTable[string];

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
    /** The actor with their teams; set beside `actor`. */
    caller?: Caller;
  }
}

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/**
 * Finds a token's entry without indexing an object with the request's value (any inherited
 * property name would match), comparing every known token in constant time.
 */
export function tokenLookup(tokens: TokenTable): (presented: string) => TokenEntry | undefined {
  const known = Object.entries(tokens).map(([token, entry]) => ({ hash: digest(token), entry }));
  return (presented) => {
    const hash = digest(presented);
    let found: TokenEntry | undefined;
    for (const candidate of known) {
      // No early exit: the time taken does not depend on which token matched, or how much of it.
      if (timingSafeEqual(candidate.hash, hash)) found = candidate.entry;
    }
    return found;
  };
}

/** Signatures by the provider's private key only: never a shared secret (HS*), never `none`. */
const ASYMMETRIC_ALGORITHMS: JWSAlgorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];
/** Clocks drift a little between the provider and this service; more would stretch every token's life. */
const CLOCK_TOLERANCE_SECONDS = 5;
const MAX_PERSON_ID_LENGTH = 128;

/** How the provider's key set is fetched: never waiting long, nor refetching on every unknown key id. */
export interface JwksTiming {
  /** A fetch that takes longer fails (503), so a request never hangs on the provider. */
  timeoutMs: number;
  /** At most one refetch per this long for an unknown key id (a rotation), so bad tokens cannot flood the provider. */
  cooldownMs: number;
  /** Keys are refetched at least this often, so a revoked key leaves. */
  maxAgeMs: number;
}
export const defaultJwksTiming: JwksTiming = { timeoutMs: 5_000, cooldownMs: 30_000, maxAgeMs: 10 * 60_000 };

const invalidToken = (reason: string) =>
  new HttpProblem(
    401,
    'Unauthorized',
    reason,
    {},
    // Quotes would end the quoted string early; the reason is ours, but may name a configured claim.
    { 'www-authenticate': `Bearer error="invalid_token", error_description="${reason.replace(/["\\]/g, '')}"` },
  );

/** jose's error codes, as a short reason that never quotes the token. */
const reasons = new Map<string, string>([
  ['ERR_JWT_EXPIRED', 'the token has expired'],
  ['ERR_JOSE_ALG_NOT_ALLOWED', 'the token is not signed with an accepted algorithm'],
  ['ERR_JWKS_NO_MATCHING_KEY', 'no key of the identity provider matches the token'],
  ['ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'the token names no key id and several keys match'],
  ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'the token signature does not verify'],
  ['ERR_JWS_INVALID', 'the token is malformed'],
  ['ERR_JWT_INVALID', 'the token is malformed'],
  ['ERR_JOSE_NOT_SUPPORTED', 'the token uses an unsupported algorithm or header'],
]);
const claimReasons = new Map<string, string>([
  ['nbf', 'the token is not yet valid'],
  ['iss', 'the token is from another issuer'],
  ['aud', 'the token is for another audience'],
  ['exp', 'the token has no expiry'],
]);

function problemFor(error: unknown): HttpProblem {
  if (error instanceof errors.JWTClaimValidationFailed) {
    return invalidToken(claimReasons.get(error.claim) ?? 'the token claims are not valid');
  }
  const reason = error instanceof errors.JOSEError ? reasons.get(error.code) : undefined;
  if (reason) return invalidToken(reason);
  // The provider's fault, not the caller's: its key set did not arrive in time, or is not one.
  return new HttpProblem(
    503,
    'Identity provider unavailable',
    'the keys of the identity provider could not be fetched; try again later',
    {},
    { 'retry-after': '5' },
    error,
  );
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A claim by name, or by a dotted path into nested claims; own properties only. */
export function claimAt(claims: JWTPayload, path: string): unknown {
  // A namespaced claim may have dots in its own name (`https://council.gov.uk/roles`).
  if (Object.hasOwn(claims, path)) return claims[path];
  let value: unknown = claims;
  for (const key of path.split('.')) {
    if (!isRecord(value) || !Object.hasOwn(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

const knownRoles: ReadonlySet<string> = new Set(actorRoles);
const isKnownRole = (name: string): name is TokenRole => knownRoles.has(name);

/** The service's roles among the claim's: the provider's other roles (and anything not a string) are ignored. */
export function rolesFrom(claim: unknown): TokenRole[] {
  const names = typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim : [];
  return [...new Set(names.filter((name): name is string => typeof name === 'string').filter(isKnownRole))];
}

const MAX_TEAMS = 100;

/** The team and service ids among the claim's (as for roles: an array or one space-separated string); others ignored. */
export function teamsFrom(claim: unknown): string[] {
  const names = typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim : [];
  const ids = names.filter((name): name is string => typeof name === 'string' && unitId.safeParse(name).success);
  return [...new Set(ids)].slice(0, MAX_TEAMS);
}

function jwtVerifier(jwt: JwtConfig, timing: JwksTiming): (token: string) => Promise<Caller> {
  const keys = createRemoteJWKSet(new URL(jwt.jwksUrl), {
    timeoutDuration: timing.timeoutMs,
    cooldownDuration: timing.cooldownMs,
    cacheMaxAge: timing.maxAgeMs,
  });
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: jwt.issuer,
        audience: jwt.audience,
        algorithms: ASYMMETRIC_ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        // A token without an expiry would be good forever.
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw problemFor(error);
    }
    const person = claimAt(payload, jwt.personClaim);
    if (typeof person !== 'string' || person.length === 0 || person.length > MAX_PERSON_ID_LENGTH) {
      throw invalidToken(
        `the token claim ${jwt.personClaim} is not a person id of 1 to ${MAX_PERSON_ID_LENGTH} characters`,
      );
    }
    return {
      actor: { id: person, roles: rolesFrom(claimAt(payload, jwt.rolesClaim)) },
      teams: teamsFrom(claimAt(payload, jwt.teamsClaim ?? 'teams')),
    };
  };
}

export interface Authenticator {
  /** The actor an `Authorization` header names; a 401 problem otherwise (503 when the provider cannot be reached). */
  actorFor(authorization: string | undefined): Promise<Actor>;
  /** The same, with the teams or services the token names. */
  callerFor(authorization: string | undefined): Promise<Caller>;
}

/**
 * Built once from configuration: the static table is checked first, then, when configured, the
 * token is verified as a JWT against the provider's published keys.
 */
export function createAuthenticator(
  { tokens, jwt }: { tokens: TokenTable; jwt?: JwtConfig },
  timing: JwksTiming = defaultJwksTiming,
): Authenticator {
  const lookup = tokenLookup(tokens);
  const verify = jwt ? jwtVerifier(jwt, timing) : undefined;
  const callerFor = async (authorization: string | undefined): Promise<Caller> => {
    const match = /^Bearer (\S+)$/.exec(authorization ?? '');
    if (!match) {
      throw new HttpProblem(
        401,
        'Unauthorized',
        'send Authorization: Bearer <token> with a known token',
        {},
        { 'www-authenticate': 'Bearer' },
      );
    }
    const entry = lookup(match[1]!);
    if (entry) return { actor: { id: entry.person, roles: [...entry.roles] }, teams: [...(entry.teams ?? [])] };
    if (!verify) throw invalidToken('send Authorization: Bearer <token> with a known token');
    return verify(match[1]!);
  };
  return {
    callerFor,
    actorFor: async (authorization) => (await callerFor(authorization)).actor,
  };
}

/** Sets `req.actor` and `req.caller` or answers 401; routes then decide with `requireRole`. */
export const authenticate =
  (authenticator: Authenticator): RequestHandler =>
  async (req, _res, next) => {
    req.caller = await authenticator.callerFor(req.get('authorization'));
    req.actor = req.caller.actor;
    next();
  };

export function requireRole(actor: Actor | undefined, allowed: readonly TokenRole[], what: string): Actor {
  if (!actor) throw new HttpProblem(401, 'Unauthorized');
  if (!actor.roles.some((role) => (allowed as readonly string[]).includes(role))) {
    throw new HttpProblem(403, 'Forbidden', `${what} needs one of the roles: ${allowed.join(', ')}`);
  }
  return actor;
}
