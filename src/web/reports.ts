/**
 * What the worktray and the timeliness report pages read: the reports service the API uses
 * (src/evidence/reports.ts), through only the two methods the pages call, so a test or another
 * source of the same answers can stand in.
 */
import type { EvidenceReports } from '../evidence/reports';

export type WebReports = Pick<EvidenceReports, 'worktray' | 'timeliness'>;
