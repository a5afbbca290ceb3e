/**
 * Whose deadlines a caller may read (the worktray and the reports). Pure: from the caller's roles
 * and teams, and the organisation.
 *
 * - The Director, the Senior Leadership Team, QA / business support and administrators: everything.
 * - A social worker with no other reading role: their own cases (the process's allocated social
 *   worker is their actor id), whatever the team.
 * - Every other staff role (team manager, PGL, Head of Service, MASH, IRO, conference chair…): the
 *   teams their token names, a service's id standing for all its teams (src/organisation.ts). A
 *   Practice Group Lead or Head of Service is given their services, a team manager their teams.
 * - The case system, or a caller with no staff role: nothing; the API answers 403.
 */
import { teamsOf, type Organisation } from '../organisation';
import type { Caller } from '../process';

export type Scope = 'all' | { teams: string[] } | { socialWorker: string };

/** Read everything the service holds. */
export const ALL_READERS = ['director', 'slt', 'qa_bstl', 'cic_business_support', 'administrator'] as const;

/** Roles that do not read staff views at all. */
const NON_READERS: ReadonlySet<string> = new Set(['case_system']);

/** The caller's scope, or undefined when they may read nothing (the API's 403). */
export function scopeOf(caller: Caller, organisation: Organisation): Scope | undefined {
  const roles = caller.actor.roles.filter((role) => !NON_READERS.has(role));
  if (roles.length === 0) return undefined;
  if (roles.some((role) => (ALL_READERS as readonly string[]).includes(role))) return 'all';
  if (roles.every((role) => role === 'social_worker')) return { socialWorker: caller.actor.id };
  return { teams: teamsOf(organisation, caller.teams) };
}

/** Whether a `team=` filter lies within the scope (outside it, the API answers 403, not an empty list). */
export function scopeCoversTeam(scope: Scope, team: string): boolean {
  if (scope === 'all' || 'socialWorker' in scope) return true;
  return scope.teams.includes(team);
}

/** The scope as the store's queries take it. */
export function scopeFilter(scope: Scope): { teams: string[] | 'all'; socialWorker?: string } {
  if (scope === 'all') return { teams: 'all' };
  if ('socialWorker' in scope) return { teams: 'all', socialWorker: scope.socialWorker };
  return { teams: scope.teams };
}
