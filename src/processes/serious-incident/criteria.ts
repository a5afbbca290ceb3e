/**
 * Serious harm and deaths (docs/deadlines.md §7.1–§7.5, §6.1): which deadlines an incident opens,
 * whether the national Panel's criteria may be met, and which Need to Know category 2 item it
 * raises by itself. Pure and zod-free: the workflow and the unit tests both use it.
 */
import type { Duration } from '../../rules';
import { cd, endOfWorkingDay, h, wd } from '../../rule-units';

export const harmTypes = [
  'injury_by_other_incl_assault',
  'self_harm',
  'exploitation',
  'overdose',
  'serious_incident_connected_person',
] as const;
export const severities = ['minor', 'significant', 'serious'] as const;
export const locations = ['in_area', 'elsewhere_in_england', 'outside_england'] as const;

export type HarmType = (typeof harmTypes)[number];
export type Severity = (typeof severities)[number];
export type IncidentLocation = (typeof locations)[number];

/** What the rules need to know of an incident: no names, no dates of birth, no addresses. */
export interface IncidentFacts {
  /** `harm`: §7.1 ChildHarmed; `serious-incident`: SeriousIncidentAware (serious harm, not a death); `death`: ChildDied. */
  kind: 'harm' | 'serious-incident' | 'death';
  lookedAfter: boolean;
  onPlan: boolean;
  abuseOrNeglectKnownOrSuspected: boolean;
  location: IncidentLocation;
  normallyResidentInArea?: boolean;
  /** Harm only. */
  severity?: Severity;
  harmTypes?: readonly HarmType[];
  sexualExploitation?: boolean;
}

const died = (f: IncidentFacts) => f.kind === 'death';
/** Serious harm (004 WT ch.4 paras 10–11): a serious incident, or harm recorded as serious. */
export const seriouslyHarmed = (f: IncidentFacts) =>
  f.kind === 'serious-incident' || (f.kind === 'harm' && f.severity === 'serious');
const lookedAfterDeath = (f: IncidentFacts) => died(f) && f.lookedAfter;

/**
 * 004 WT ch.4 para 12 [S]: abuse or neglect known or suspected, and the child died or was seriously
 * harmed in the area, or is normally resident here and died or was seriously harmed outside England.
 * "May be met": the Head of Service decides (D5.4, `panel-criteria-decision`).
 */
export function panelCriteriaMayBeMet(f: IncidentFacts): boolean {
  if (!f.abuseOrNeglectKnownOrSuspected || !(died(f) || seriouslyHarmed(f))) return false;
  return f.location === 'in_area' || (f.location === 'outside_england' && f.normallyResidentInArea === true);
}

/** 001 NTK s2: the category 2 items an incident raises by itself (items 1, 2, 3 and 7), in item order. */
export function automaticCategory2Items(f: IncidentFacts): number[] {
  const deathOrSeriousInjury = died(f) || seriouslyHarmed(f);
  const items: number[] = [];
  if (died(f) && f.abuseOrNeglectKnownOrSuspected) items.push(1); // death, abuse or neglect suspected
  if (f.lookedAfter && deathOrSeriousInjury) items.push(2); // death or serious injury of a looked-after child
  if (f.onPlan && deathOrSeriousInjury) items.push(3); // … of a child on a plan
  if (f.lookedAfter && f.harmTypes?.includes('exploitation') && f.sexualExploitation) items.push(7);
  return items;
}

const itemWords: Record<number, string> = {
  1: 'death of a child where abuse or neglect is suspected',
  2: 'death or serious injury of a looked-after child',
  3: 'death or serious injury of a child on a child protection plan',
  7: 'sexual exploitation of a looked-after child',
};

/** One briefing per incident: the first item applies; the others are named in its facts. */
export function category2Raise(f: IncidentFacts): { item: number; facts: string } | undefined {
  const [first, ...others] = automaticCategory2Items(f);
  if (first === undefined) return undefined;
  const also = others.map((i) => `item ${i} (${itemWords[i]})`).join('; ');
  return {
    item: first,
    facts: `${incidentEvent(f)[0]!.toUpperCase()}${incidentEvent(f).slice(1)}: category 2 item ${first} (${itemWords[first]}).${also ? ` Also category 2 ${also}.` : ''}${f.abuseOrNeglectKnownOrSuspected ? ' Abuse or neglect is known or suspected.' : ''}`,
  };
}

/** The event in words for labels and notices (no personal data). */
export function incidentEvent(f: IncidentFacts): string {
  const who = f.lookedAfter ? 'a looked-after child' : f.onPlan ? 'a child on a protection plan' : 'a child';
  if (died(f)) return `death of ${who}`;
  if (f.kind === 'serious-incident') return `serious harm to ${who}`;
  return `${f.severity} harm to ${who}`;
}

/** Where a deadline is counted from: §7.2/§7.3 `known_at`, §7.4 `became_aware_at`. */
export type Anchor = 'knownAt' | 'becameAwareAt';

export interface Clock {
  id: string;
  anchor: Anchor;
  /** Replaces the rule's duration. */
  duration?: Duration;
}

/** ⚠C-27: 5 WD, or 5 calendar days when a looked-after child has died (002 SLN preamble). */
export const panelNotifyDuration = (f: IncidentFacts): Duration => (lookedAfterDeath(f) ? cd(5) : wd(5));

/**
 * The deadlines an incident opens at once, in order. Harm (§7.2, §7.3): `kev-harm-notify` and
 * `kev-harm-route`, `slt-mash-referral` for a serious injury or a safeguarding concern, `slt-notify`
 * for significant or serious harm. Every death: `slt-notify`. A death or serious harm:
 * `panel-criteria-decision`; `panel-notify` and `panel-partners-notify` when the criteria may be met
 * and for every looked-after child's death (⚠C-27); `panel-sos-ofsted-lac-death` for every
 * looked-after child's death (004 WT ch.4 para 13).
 */
export function incidentClocks(f: IncidentFacts): Clock[] {
  const clocks: Clock[] = [];
  if (!died(f)) {
    const serious = seriouslyHarmed(f);
    // [P] 1 WD; 24 h elapsed when the harm is serious (000 KE 2.3, ⚠C-29).
    clocks.push({ id: 'kev-harm-notify', anchor: 'knownAt', ...(serious ? { duration: h(24) } : {}) });
    // [P] immediately (sla.immediate) when serious; otherwise the end of the working day (000 KE 2.3).
    clocks.push({ id: 'kev-harm-route', anchor: 'knownAt', ...(serious ? {} : { duration: endOfWorkingDay }) });
    // 002 SLN s1 [P] immediately: a serious injury or a safeguarding concern goes to the MASH.
    if (serious || f.abuseOrNeglectKnownOrSuspected) clocks.push({ id: 'slt-mash-referral', anchor: 'knownAt' });
  }
  // 002 SLN s1, s2: significant harm (suffered or likely) and every death.
  if (died(f) || f.severity === 'significant' || seriouslyHarmed(f))
    clocks.push({ id: 'slt-notify', anchor: 'knownAt' });
  if (died(f) || seriouslyHarmed(f)) clocks.push({ id: 'panel-criteria-decision', anchor: 'becameAwareAt' }); // [P] 2 WD
  if (panelCriteriaMayBeMet(f) || lookedAfterDeath(f)) {
    clocks.push({ id: 'panel-notify', anchor: 'becameAwareAt', duration: panelNotifyDuration(f) });
    clocks.push({ id: 'panel-partners-notify', anchor: 'becameAwareAt' }); // 5 WD (004 WT ch.4 para 12)
  }
  // ⚠C-28 [P]: the same as panel-notify.
  if (lookedAfterDeath(f))
    clocks.push({ id: 'panel-sos-ofsted-lac-death', anchor: 'becameAwareAt', duration: panelNotifyDuration(f) });
  return clocks;
}

/**
 * The business id of a child's death: a child dies once, so every path that reports it (the
 * child-event route, the looked-after episode, the plan) derives the same one. A child reference
 * may hold "/", which no process id in a URL may: it is written "." (a case system whose references
 * differ only by those two would share an id: none is known).
 */
export const deathIncidentId = (childReference: string): string => `died-${childReference.replace(/\//g, '.')}`;
export const DEATH_PREFIX = 'incident-died-';
