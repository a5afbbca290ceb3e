/** Bearer tokens map to a person and roles (docs/api.md "Who"); the actor comes from here only. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { TokenTable } from '../config';
import type { Actor } from '../process';
import { HttpProblem } from './problem';

export type TokenRole = TokenTable[string]['roles'][number];
type TokenEntry = TokenTable[string];

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
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

export const authenticate = (tokens: TokenTable): RequestHandler => {
  const lookup = tokenLookup(tokens);
  return (req, _res, next) => {
    const match = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '');
    const entry = match ? lookup(match[1]!) : undefined;
    if (!entry) throw new HttpProblem(401, 'Unauthorized', 'send Authorization: Bearer <token> with a known token');
    req.actor = { id: entry.person, roles: [...entry.roles] };
    next();
  };
};

export function requireRole(actor: Actor | undefined, allowed: readonly TokenRole[], what: string): Actor {
  if (!actor) throw new HttpProblem(401, 'Unauthorized');
  if (!actor.roles.some((role) => (allowed as readonly string[]).includes(role))) {
    throw new HttpProblem(403, 'Forbidden', `${what} needs one of the roles: ${allowed.join(', ')}`);
  }
  return actor;
}
