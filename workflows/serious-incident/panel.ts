/**
 * The national Panel (docs/deadlines.md §7.4, §7.5 D5.4; 004 WT ch.4 paras 10–14): the criteria
 * decision, the Panel's online incident notification, the safeguarding partners, and the Secretary
 * of State and Ofsted for a looked-after child's death.
 */
import type { Decision } from '../../src/process';
import { panelNotifyDuration } from '../../src/processes/serious-incident/criteria';
import type { PanelCriteria, PanelNotified } from '../../src/processes/serious-incident/schemas';
import { nowIso, stageConflict } from '../process-kit';
import { openClock, type Incident } from './incident';

/** Closed when the criteria are not met; panel-sos-ofsted-lac-death runs either way (⚠C-27). */
const NOTIFICATIONS = ['panel-notify', 'panel-partners-notify'];

export function panel(incident: Incident) {
  const { p } = incident;
  const { state, deadlines, record } = p;

  return {
    /** D5.4 (HoS or Director): met opens the notifications if they are not open yet; not met closes them. */
    async criteriaDecided({ actor, met, rationale }: Decision<PanelCriteria>) {
      deadlines.meet('panel-criteria-decision', actor.id, nowIso());
      state.panel = { ...state.panel, criteriaMet: met, rationale };
      record('panel_criteria', `D5.4: the Panel criteria are ${met ? '' : 'not '}met: ${rationale}`, actor.id);
      if (!met) {
        for (const id of NOTIFICATIONS) deadlines.cancel(id, actor.id, `D5.4 criteria not met: ${rationale}`);
        return;
      }
      if (!deadlines.find('panel-notify'))
        await openClock(incident, {
          id: 'panel-notify',
          anchor: 'becameAwareAt',
          duration: panelNotifyDuration(state.facts),
        });
      if (!deadlines.find('panel-partners-notify'))
        await openClock(incident, { id: 'panel-partners-notify', anchor: 'becameAwareAt' });
    },
    canDecide(_: unknown) {
      if (!deadlines.find('panel-criteria-decision'))
        stageConflict('this incident needs no Panel decision: neither a death nor serious harm');
      if (state.panel?.criteriaMet !== undefined) stageConflict('the Panel criteria are already decided');
    },

    /** The Panel's online incident notification was made: its reference is recorded (004 WT ch.4 para 12). */
    panelNotified({ actor, at = nowIso(), panelReference }: Decision<PanelNotified>) {
      deadlines.meet('panel-notify', actor.id, at);
      state.panel = { ...state.panel, reference: panelReference };
      record('panel-notify', `the Panel was notified (reference ${panelReference})`, actor.id);
    },
  };
}
