/** What the serious-incident topic modules share: the process, its input, and how a deadline opens. */
import type { IncidentInput, IncidentState } from '../../src/processes/serious-incident/schemas';
import type { Clock } from '../../src/processes/serious-incident/criteria';
import type { Process } from '../process-kit';

export type IncidentProcess = Process<IncidentState>;

export interface Incident {
  p: IncidentProcess;
  input: IncidentInput;
}

/** Opens a clock from its anchor (§7.2/§7.3 `known_at`, §7.4 `became_aware_at`). */
export const openClock = ({ p, input }: Incident, clock: Clock) =>
  p.deadlines.open(
    clock.id,
    clock.anchor === 'knownAt' ? input.knownAt : p.state.becameAwareAt,
    clock.duration ? { duration: clock.duration } : {},
  );

/** What every notice names as the event (no personal data). */
export const noticeEvent = (event: string, eventId: string) => `${event} (event ${eventId})`;
