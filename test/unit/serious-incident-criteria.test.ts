import { describe, expect, it } from 'vitest';
import {
  automaticCategory2Items,
  category2Raise,
  deathIncidentId,
  incidentClocks,
  panelCriteriaMayBeMet,
  panelNotifyDuration,
  type IncidentFacts,
} from '../../src/processes/serious-incident/criteria';

const death = (over: Partial<IncidentFacts> = {}): IncidentFacts => ({
  kind: 'death',
  lookedAfter: false,
  onPlan: false,
  abuseOrNeglectKnownOrSuspected: false,
  location: 'in_area',
  normallyResidentInArea: true,
  ...over,
});
const harm = (over: Partial<IncidentFacts> = {}): IncidentFacts => ({
  kind: 'harm',
  lookedAfter: false,
  onPlan: false,
  abuseOrNeglectKnownOrSuspected: false,
  location: 'in_area',
  severity: 'minor',
  harmTypes: ['self_harm'],
  ...over,
});
const ids = (f: IncidentFacts) => incidentClocks(f).map((c) => c.id);
const clock = (f: IncidentFacts, id: string) => incidentClocks(f).find((c) => c.id === id);

describe('Panel criteria (004 WT ch.4 para 12)', () => {
  it('needs abuse or neglect known or suspected', () => {
    expect(panelCriteriaMayBeMet(death({ abuseOrNeglectKnownOrSuspected: true }))).toBe(true);
    expect(panelCriteriaMayBeMet(death())).toBe(false);
  });

  it('needs a death or serious harm', () => {
    const suspected = { abuseOrNeglectKnownOrSuspected: true };
    expect(panelCriteriaMayBeMet(harm({ ...suspected, severity: 'serious' }))).toBe(true);
    expect(panelCriteriaMayBeMet(harm({ ...suspected, severity: 'significant' }))).toBe(false);
    expect(panelCriteriaMayBeMet(harm({ ...suspected, kind: 'serious-incident', severity: 'serious' }))).toBe(true);
  });

  it('in the area, or normally resident and outside England; not elsewhere in England', () => {
    const f = { abuseOrNeglectKnownOrSuspected: true };
    expect(panelCriteriaMayBeMet(death({ ...f, location: 'elsewhere_in_england' }))).toBe(false);
    expect(panelCriteriaMayBeMet(death({ ...f, location: 'outside_england', normallyResidentInArea: true }))).toBe(
      true,
    );
    expect(panelCriteriaMayBeMet(death({ ...f, location: 'outside_england', normallyResidentInArea: false }))).toBe(
      false,
    );
    expect(panelCriteriaMayBeMet(death({ ...f, location: 'in_area', normallyResidentInArea: false }))).toBe(true);
  });
});

describe('automatic category 2 items (001 NTK s2)', () => {
  it('item 1 for a death with abuse suspected, 2 for a looked-after child, 3 for a child on a plan', () => {
    expect(automaticCategory2Items(death({ abuseOrNeglectKnownOrSuspected: true }))).toEqual([1]);
    expect(automaticCategory2Items(death({ lookedAfter: true }))).toEqual([2]);
    expect(
      automaticCategory2Items(death({ onPlan: true, lookedAfter: true, abuseOrNeglectKnownOrSuspected: true })),
    ).toEqual([1, 2, 3]);
    expect(automaticCategory2Items(death())).toEqual([]);
  });

  it('serious injury only: significant harm raises nothing', () => {
    expect(automaticCategory2Items(harm({ onPlan: true, severity: 'serious' }))).toEqual([3]);
    expect(automaticCategory2Items(harm({ onPlan: true, severity: 'significant' }))).toEqual([]);
  });

  it('item 7: sexual exploitation of a looked-after child, whatever the severity', () => {
    const exploited = { harmTypes: ['exploitation' as const], sexualExploitation: true };
    expect(automaticCategory2Items(harm({ ...exploited, lookedAfter: true }))).toEqual([7]);
    expect(automaticCategory2Items(harm({ ...exploited, lookedAfter: false }))).toEqual([]);
    expect(automaticCategory2Items(harm({ harmTypes: ['exploitation'], lookedAfter: true }))).toEqual([]);
  });

  it('one briefing: the first item, the others named in its facts', () => {
    const raise = category2Raise(death({ lookedAfter: true, onPlan: true }))!;
    expect(raise.item).toBe(2);
    expect(raise.facts).toContain('category 2 item 2');
    expect(raise.facts).toContain('Also category 2 item 3');
    expect(category2Raise(harm())).toBeUndefined();
  });
});

describe('clocks', () => {
  it('⚠C-27: panel-notify 5 calendar days for a looked-after child’s death, 5 WD otherwise; ⚠C-28 the same', () => {
    const lac = death({ lookedAfter: true });
    expect(panelNotifyDuration(lac)).toEqual({ value: 5, unit: 'calendar_days' });
    expect(clock(lac, 'panel-notify')).toMatchObject({
      anchor: 'becameAwareAt',
      duration: { value: 5, unit: 'calendar_days' },
    });
    expect(clock(lac, 'panel-sos-ofsted-lac-death')?.duration).toEqual({ value: 5, unit: 'calendar_days' });
    const other = death({ abuseOrNeglectKnownOrSuspected: true });
    expect(clock(other, 'panel-notify')?.duration).toEqual({ value: 5, unit: 'working_days' });
    expect(ids(other)).not.toContain('panel-sos-ofsted-lac-death');
  });

  it('every looked-after child’s death opens the Panel notifications, abuse suspected or not (⚠C-27)', () => {
    expect(ids(death({ lookedAfter: true }))).toEqual([
      'slt-notify',
      'panel-criteria-decision',
      'panel-notify',
      'panel-partners-notify',
      'panel-sos-ofsted-lac-death',
    ]);
    // Another child's death without suspected abuse: the decision only.
    expect(ids(death())).toEqual(['slt-notify', 'panel-criteria-decision']);
  });

  it('harm: kev-harm-notify 1 WD or 24 h, kev-harm-route EOD or immediate, the MASH for serious or safeguarding', () => {
    const minor = harm();
    expect(ids(minor)).toEqual(['kev-harm-notify', 'kev-harm-route']);
    expect(clock(minor, 'kev-harm-notify')?.duration).toBeUndefined();
    expect(clock(minor, 'kev-harm-route')?.duration).toEqual({ value: 0, unit: 'end_of_working_day' });
    const serious = harm({ severity: 'serious', onPlan: true });
    expect(ids(serious)).toEqual([
      'kev-harm-notify',
      'kev-harm-route',
      'slt-mash-referral',
      'slt-notify',
      'panel-criteria-decision',
    ]);
    expect(clock(serious, 'kev-harm-notify')?.duration).toEqual({ value: 24, unit: 'hours' });
    expect(clock(serious, 'kev-harm-route')?.duration).toBeUndefined(); // the rule's own: immediate
    expect(ids(harm({ severity: 'significant', abuseOrNeglectKnownOrSuspected: true }))).toEqual([
      'kev-harm-notify',
      'kev-harm-route',
      'slt-mash-referral',
      'slt-notify',
    ]);
  });
});

describe('the id of a death', () => {
  it('one per child, whatever reports it; no "/" in it', () => {
    expect(deathIncidentId('CH-1')).toBe('died-CH-1');
    expect(deathIncidentId('CH/1')).toBe('died-CH.1');
  });
});
