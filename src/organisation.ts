/**
 * The organisation: which teams make up each service. A Practice Group Lead or a Head of Service
 * reads the deadlines of their services' teams (src/evidence/scope.ts).
 *
 * How a caller's reach is known: their token's `teams` (AUTH_TOKENS) or teams claim
 * (AUTH_TEAMS_CLAIM) lists ids, each one a team's or a service's. A service's id stands for all
 * of its teams, so a Head of Service's token names their services, a team manager's their teams.
 * An id the organisation does not know is taken as a team's (teams change faster than this file).
 */
import { z } from 'zod';

/** A team's or a service's id, in the organisation and on a caller's token: no spaces, no free text. */
export const unitId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'an id: letters, digits and _ . : - only');

export interface Service {
  id: string;
  teams: string[];
}

export interface Organisation {
  services: Service[];
}

const duplicates = (ids: readonly string[]) => [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];

export const organisationSchema = z
  .strictObject({
    services: z
      .array(z.strictObject({ id: unitId, teams: z.array(unitId).min(1).max(500) }))
      .max(200)
      .describe('Each service and its teams'),
  })
  .superRefine(({ services }, ctx) => {
    const serviceIds = services.map((service) => service.id);
    const teamIds = services.flatMap((service) => service.teams);
    for (const id of duplicates(serviceIds)) ctx.addIssue({ code: 'custom', message: `service ${id} is listed twice` });
    for (const id of duplicates(teamIds)) {
      ctx.addIssue({ code: 'custom', message: `team ${id} is listed twice (a team is in one service only)` });
    }
    // One id, one meaning: a token's id must name a team or a service, never either.
    for (const id of serviceIds.filter((serviceId) => teamIds.includes(serviceId))) {
      ctx.addIssue({ code: 'custom', message: `${id} is both a service and a team` });
    }
  });

/** The organisation of the local stack (`npm start`, tests), matching the teams of `localTokens` (src/config.ts). */
export const localOrganisation: Organisation = {
  services: [
    { id: 'front-door', teams: ['mash'] },
    { id: 'safeguarding', teams: ['assessment-north', 'assessment-south'] },
    { id: 'children-in-care', teams: ['looked-after'] },
  ],
};

/** The teams a list of team and service ids stands for, each once, in the order given. */
export function teamsOf(organisation: Organisation, ids: readonly string[]): string[] {
  const byService = new Map(organisation.services.map((service) => [service.id, service.teams]));
  return [...new Set(ids.flatMap((id) => byService.get(id) ?? [id]))];
}
