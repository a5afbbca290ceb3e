/** Small constructors for the rule catalogue's durations. */
import type { Duration, EscalationProfile } from './rules';

export const h = (value: number) => ({ value, unit: 'hours' as const });
export const wd = (value: number) => ({ value, unit: 'working_days' as const });
export const cd = (value: number): Duration => ({ value, unit: 'calendar_days' });
export const weeks = (value: number): Duration => ({ value, unit: 'weeks' });
export const months = (value: number): Duration => ({ value, unit: 'months' });
export const immediate: Duration = { value: 0, unit: 'immediate' };
export const sameDay: Duration = { value: 0, unit: 'same_day' };
export const endOfWorkingDay: Duration = { value: 0, unit: 'end_of_working_day' };
/** A gate: due at the event's scheduled start (§2.3 "before X"), with `direction: 'before'`. */
export const atEvent: Duration = { value: 0, unit: 'hours' };

/** "Notify these at breach, then these after N working days" ([P] routes of §4.3, §5, §7, §8). */
export const notify = (
  onBreach: EscalationProfile['onBreach'],
  ...later: Array<[number, EscalationProfile['onBreach']]>
): EscalationProfile => ({
  onBreach,
  escalate: later.map(([days, roles]) => ({ after: wd(days), notify: roles })),
});
