/** Child events as a case system posts them to `POST /v1/children/{ref}/events` (fictional references only). */
export const iso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();

export function childEvent(
  eventId: string,
  type: string,
  fields: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  return {
    eventId,
    type,
    caseReference: `CASE-${eventId}`,
    occurredAt: iso(-60_000),
    child: { lookedAfter: true, onPlan: false, legalStatus: 'care_order' },
    ...fields,
    ...extra,
  };
}
