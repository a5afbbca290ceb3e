/**
 * Who must act on an open deadline, from the rule catalogue (src/rules.ts): the rule's responsible
 * roles, and, once it is overdue, the roles its escalation profile has told so far (docs/deadlines.md
 * §1.3): the breach notice's, then one more step's per escalation level. Pure.
 */
import { deadlineRules, escalationProfiles, type EscalationProfile, type Recipient } from '../rules';
import type { Role } from '../roles';

export interface WhoMustAct {
  /** The rule's responsible roles; empty for a rule this version of the catalogue does not know. */
  responsible: Role[];
  /** 0 until the first escalation step after the breach, then 1, 2… (the workflow's own count). */
  escalationLevel: number;
  /** Roles told of the miss so far, beyond the responsible ones: none before the deadline passes. */
  escalatedTo: Role[];
}

export function whoMustAct(ruleId: string, escalationLevel: number, overdue: boolean): WhoMustAct {
  const rule = deadlineRules.get(ruleId);
  if (!rule) return { responsible: [], escalationLevel, escalatedTo: [] };
  const profile: EscalationProfile =
    typeof rule.escalation === 'string' ? escalationProfiles[rule.escalation] : rule.escalation;
  const resolve = (recipients: readonly Recipient[]) =>
    recipients.flatMap((recipient) => (recipient === 'responsible' ? rule.responsible : [recipient]));
  const told = overdue
    ? [
        ...resolve(profile.onBreach),
        ...profile.escalate.slice(0, escalationLevel).flatMap((step) => resolve(step.notify)),
      ]
    : [];
  const responsible = [...rule.responsible];
  return {
    responsible,
    escalationLevel,
    escalatedTo: [...new Set(told)].filter((role) => !responsible.includes(role)),
  };
}
