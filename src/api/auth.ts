/** Bearer tokens map to a person and roles (docs/api.md "Who"); the actor comes from here only. */
import type { RequestHandler } from 'express';
import type { TokenTable } from '../config';
import type { Actor } from '../process';
import { HttpProblem } from './problem';

export type TokenRole = TokenTable[string]['roles'][number];

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

export const authenticate =
  (tokens: TokenTable): RequestHandler =>
  (req, _res, next) => {
    const match = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '');
    const entry = match ? tokens[match[1]!] : undefined;
    if (!entry) throw new HttpProblem(401, 'Unauthorized', 'send Authorization: Bearer <token> with a known token');
    req.actor = { id: entry.person, roles: entry.roles };
    next();
  };

export function requireRole(actor: Actor | undefined, allowed: readonly TokenRole[], what: string): Actor {
  if (!actor) throw new HttpProblem(401, 'Unauthorized');
  if (!actor.roles.some((role) => (allowed as readonly string[]).includes(role))) {
    throw new HttpProblem(403, 'Forbidden', `${what} needs one of the roles: ${allowed.join(', ')}`);
  }
  return actor;
}
