/** Shared zod building blocks for every process's API (docs/api.md conventions). */
import { z } from 'zod';
import { roles } from './roles';

/** ISO-8601 with an explicit offset (api.md "Time"); normalised to UTC. */
export const instant = z.iso
  .datetime({ offset: true, message: 'expected an ISO-8601 instant with an offset, e.g. 2026-03-10T11:00:00Z' })
  .transform((value) => new Date(value).toISOString());

export const localDate = z.iso.date({ message: 'expected a local date YYYY-MM-DD' });

/** Business ids become part of workflow ids: no spaces, no personal data, bounded length. */
export const businessId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" and "-" only, at most 64 characters');

export const caseReference = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/, 'a case-system reference: letters, digits, ".", "_", "/" and "-" only')
  .describe('The case-system reference (no names or dates of birth)');

/** People for this case by role (the social worker, their manager, the PGL…): email addresses. */
export const casePeopleSchema = z
  .partialRecord(z.enum(roles), z.array(z.email()).min(1).max(10))
  .describe('Per-case recipients by role; roles not given fall back to the directory');
export type CasePeople = z.infer<typeof casePeopleSchema>;
