/**
 * What the worktray and the timeliness report pages read, behind one small interface, so the pages
 * do not care whether it is the evidence store's queries or the reports service over them.
 */
import type { RuleTimeliness } from '../evidence/timeliness';
import type { WorktrayPage, WorktrayQuery } from '../evidence/worktray';
import type { Actor } from '../process';

/** Who is asking: the person, and the teams they may see. */
export interface WebCaller {
  actor: Actor;
  teams: string[];
}

export type WorktrayFilters = Pick<WorktrayQuery, 'team' | 'process' | 'rule' | 'status' | 'cursor'> & {
  dueBefore?: string;
  limit: number;
};

export interface TimelinessFilters {
  from: string;
  to: string;
  team?: string;
  rule?: string;
}

export interface MonthTimeliness {
  /** "YYYY-MM", the month the deadlines fell due in (Europe/London). */
  month: string;
  onTime: number;
  late: number;
}

export interface TimelinessReport {
  rules: RuleTimeliness[];
  byMonth: MonthTimeliness[];
}

export interface WebReports {
  worktray(caller: WebCaller, filters: WorktrayFilters): Promise<WorktrayPage>;
  timeliness(caller: WebCaller, filters: TimelinessFilters): Promise<TimelinessReport>;
}
