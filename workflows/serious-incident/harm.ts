/**
 * After harm (docs/deadlines.md §7.2, §7.5 D5.1–D5.2; 000 KE 2.3): the professionals told
 * (`kev-harm-notify`), the route decided (`kev-harm-route`: an S47 through the MASH, and whether to
 * ask the Head of Service for a Need to Know), the MASH referral (`slt-mash-referral`, 002 SLN s1),
 * a briefing the HoS raises, and the update events that need an updated senior leadership
 * notification (`slt-update`).
 */
import type { Decision } from '../../src/process';
import type {
  HarmRoute,
  MashReferral,
  NeedToKnowRaised,
  StartLink,
  UpdateEvent,
  UpdateEventBody,
} from '../../src/processes/serious-incident/schemas';
import { sendNotice } from '../deadline-tracker';
import { nowIso, refuseDuplicateEvent, stageConflict } from '../process-kit';
import { raiseNeedToKnow, tellRaisedBriefing } from '../raise';
import type { Incident } from './incident';

const updateWords: Record<UpdateEvent['kind'], string> = {
  'health-changed': 'the child’s health changed',
  'adult-charged': 'an adult was charged',
  'child-charged': 'the child was charged',
};

/**
 * A valid body for `POST /v1/s47-enquiries` (src/processes/s47-enquiry/schemas.ts startS47Schema):
 * a concern on an open case (§3.1), received when the harm became known. The contact id is the
 * incident's (`inc-<eventId>`; an event id too long for that prefix is used as it is).
 */
export function s47StartLink({ input }: Incident): StartLink {
  const contactId = input.eventId.length <= 60 ? `inc-${input.eventId}` : input.eventId;
  return {
    method: 'POST',
    href: '/v1/s47-enquiries',
    body: {
      contactId,
      caseReference: input.caseReference,
      trigger: 'concern',
      receivedAt: input.knownAt,
      contactType: 'general',
      children: [{ reference: input.child.reference }],
      otherLocalAuthority: false,
      people: input.people,
    },
  };
}

export function harm(incident: Incident, sln: { updateDue(at: string, what: string, actor: string): Promise<void> }) {
  const { p, input } = incident;
  const { state, deadlines, record } = p;
  let referralRecorded = false;

  return {
    /** D5.1 and D5.2 (SW + TM): meets kev-harm-route; an S47 start is a link the case system follows. */
    async routeDecided({ actor, s47, needToKnow, rationale }: Decision<HarmRoute>) {
      const at = nowIso();
      deadlines.meet('kev-harm-route', actor.id, at);
      state.route = { s47, needToKnow, ...(rationale ? { rationale } : {}), by: actor.id, at };
      record('kev-harm-route', `D5.1: S47 enquiry ${s47}; D5.2: Need to Know ${needToKnow}`, actor.id);
      if (s47 === 'start') state.links.startS47Enquiry = s47StartLink(incident);
      if (needToKnow === 'ask_hos') {
        const notice = await sendNotice(
          p.context,
          'need-to-know-asked',
          'need_to_know_asked',
          { to: ['head_of_service'] },
          {
            type: 'message',
            subject: `Need to Know briefing asked for: ${state.case.event} (D5.2)`,
            text: `After the ${state.case.event}, the social worker and team manager ask the Head of Service to decide whether to raise a Need to Know briefing (000 KE 2.3, D5.2). What to do: raise it as category 2 or 3 (need-to-know-raised on this incident), or record why not.`,
          },
        );
        state.notices.push(notice);
      }
    },

    /** 002 SLN s1: the referral through the MASH (optionally the S47 enquiry it started, linked). */
    mashReferral({ actor, at = nowIso(), s47EnquiryId }: Decision<MashReferral>) {
      deadlines.meet('slt-mash-referral', actor.id, at);
      referralRecorded = true;
      if (s47EnquiryId) state.links.s47Enquiry = `s47-${s47EnquiryId}`;
      record(
        'slt-mash-referral',
        `referred to children’s social care through the MASH${s47EnquiryId ? `: s47-${s47EnquiryId}` : ''}`,
        actor.id,
      );
    },
    canRefer(_: unknown) {
      if (state.facts.kind === 'death') stageConflict('a death has no MASH referral deadline');
      if (referralRecorded) stageConflict('the MASH referral is already recorded');
      if (!deadlines.isOpen('slt-mash-referral') && !state.links.startS47Enquiry)
        stageConflict('no MASH referral is due: slt-mash-referral is not open and no S47 enquiry was decided');
    },

    /** D5.2: the Head of Service raises a briefing (one per category and item). */
    async needToKnowRaised({ actor, category, item }: Decision<NeedToKnowRaised>) {
      const id = await raiseNeedToKnow(p, {
        key: `cat${category}-item${item}`,
        category,
        item,
        trigger: 'need-to-know-raised',
        concernAroseAt: input.knownAt,
        child: { reference: input.child.reference, legalStatus: input.child.legalStatus },
        facts: `Raised by the Head of Service after the ${state.case.event} (D5.2, 000 KE 2.3).`,
      });
      if (!state.links.briefings.includes(id)) state.links.briefings.push(id);
      record('need_to_know_raised', `D5.2: category ${category} item ${item} raised: ${id}`, actor.id);
    },
    canRaise({ category, item }: NeedToKnowRaised) {
      const id = `ntk-${p.context.workflowId}-cat${category}-item${item}`;
      if (state.links.briefings.includes(id)) stageConflict(`${id} is already raised`);
    },

    /** 002 SLN s1: health changed, an adult or the child charged: the updated notification (slt-update). */
    async updateEvent({ actor, eventId, kind, at = nowIso() }: Decision<UpdateEvent>) {
      state.eventIds.push(eventId);
      const what = updateWords[kind];
      record(kind, `${what} at ${at} (event ${eventId})`, actor.id);
      await sln.updateDue(at, what, actor.id);
      // The Director's briefing hears of it too (001 NTK s4 item 4: the update it was promised).
      for (const briefing of state.links.briefings)
        await tellRaisedBriefing(briefing, {
          kind,
          at,
          summary: `Update on the ${state.case.event}: ${what} at ${at}.`,
        });
    },
    canUpdate({ eventId }: UpdateEventBody) {
      refuseDuplicateEvent(state.eventIds, eventId);
    },
  };
}
