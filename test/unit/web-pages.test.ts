/** The pages' pure parts: times in London, tags, the review form as the API's body, sessions sealed. */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { pglResponseSchema } from '../../src/processes/need-to-know/schemas';
import {
  escalationText,
  legalStatusText,
  londonDate,
  londonTime,
  roleName,
  stageText,
  statusTag,
} from '../../src/web/format';
import {
  dateFrom,
  dateParts,
  formErrors,
  formForDraft,
  pglResponseBody,
  reviewFormFrom,
} from '../../src/web/review-form';
import { horizontalBars, tickStep, verticalBars } from '../../src/web/chart';
import {
  defaultPeriod,
  londonDay,
  londonMidnight,
  monthsOf,
  periodFilters,
  worktrayFilters,
} from '../../src/web/report-filters';
import { safeReturnTo } from '../../src/web/router';
import { cookieValue, sessionSealer, sessions, type SessionData } from '../../src/web/session';
import { ntkInput } from '../helpers/need-to-know';

describe('times and words on the pages', () => {
  it('writes instants in Europe/London, GMT in winter and BST in summer', () => {
    expect(londonTime('2026-01-15T17:00:00Z')).toBe('Thu 15 Jan 2026, 5:00pm');
    expect(londonTime('2026-07-15T16:00:00Z')).toBe('Wed 15 Jul 2026, 5:00pm');
    // Just after midnight in London is still the previous day in UTC.
    expect(londonTime('2026-06-30T23:30:00Z')).toBe('Wed 1 Jul 2026, 12:30am');
    expect(londonTime('not a time')).toBe('');
    expect(londonDate('2027-03-27')).toBe('27 March 2027');
    expect(londonDate('2026-06-30T23:30:00Z')).toBe('1 July 2026');
  });

  it('names statuses, stages, roles and escalation levels', () => {
    expect(statusTag('overdue')).toEqual({ text: 'Overdue', classes: 'govuk-tag--red' });
    expect(statusTag('met_late')).toEqual({ text: 'Met late', classes: 'govuk-tag--pink' });
    expect(statusTag('something_new')).toEqual({ text: 'something new', classes: 'govuk-tag--grey' });
    expect(stageText('awaiting_pgl')).toBe('Awaiting PGL');
    expect(legalStatusText('ico')).toBe('Interim care order');
    expect(legalStatusText('future_status')).toBe('Future status');
    expect(roleName('pgl')).toBe('Practice Group Lead');
    expect(roleName('toString')).toBe('toString');
    expect(escalationText(0)).toBe('None');
    expect(escalationText(2, ['team_manager', 'head_of_service'])).toBe('Level 2 (Head of Service)');
  });

  it('sends a person back only to a path on this site after sign-in', () => {
    expect(safeReturnTo('/need-to-know/A1/review')).toBe('/need-to-know/A1/review');
    expect(safeReturnTo('//evil.example/')).toBe('/worktray');
    expect(safeReturnTo('/\\evil.example')).toBe('/worktray');
    expect(safeReturnTo('https://evil.example/')).toBe('/worktray');
    expect(safeReturnTo(['/a'])).toBe('/worktray');
  });
});

describe('the review form', () => {
  const draft = ntkInput('F1', '2026-03-02T10:00:00Z').briefing;

  it('approves with the decision and an optional comment only', () => {
    const body = pglResponseBody(reviewFormFrom({ decision: 'approve', comment: '  ', concern: 'ignored' }), draft);
    expect(body).toEqual({ decision: 'approve' });
    expect(pglResponseSchema.safeParse(body).success).toBe(true);
  });

  it('amends the wording, keeping the draft’s child, and the schema accepts it', () => {
    const form = { ...formForDraft(draft), decision: 'amend_and_approve', concern: 'Amended concern.', comment: 'ok' };
    const body = pglResponseBody(reviewFormFrom(form), draft);
    expect(body).toMatchObject({
      decision: 'amend_and_approve',
      comment: 'ok',
      amendedBriefing: { child: draft.child, concern: 'Amended concern.', updateExpectedOn: draft.updateExpectedOn },
    });
    expect(pglResponseSchema.safeParse(body).success).toBe(true);
  });

  it('keeps only the known fields, as strings', () => {
    expect(reviewFormFrom({ decision: ['approve'], actor: 'someone', __proto__: { decision: 'x' } })).toEqual({});
    expect(reviewFormFrom(null)).toEqual({});
  });

  it('joins and splits the date input', () => {
    expect(dateFrom('7', '3', '2027')).toBe('2027-03-07');
    expect(dateFrom('7', '13', '2027')).toBe('2027-13-07');
    expect(dateFrom('x', '3', '2027')).toBe('2027-3-x');
    expect(dateParts('2027-03-07')).toEqual({ day: '7', month: '3', year: '2027' });
    expect(dateParts(undefined)).toEqual({ day: '', month: '', year: '' });
  });

  it('turns the schema’s errors into one error per field, linked and in the form’s order', () => {
    const result = pglResponseSchema.safeParse(
      pglResponseBody({ decision: 'amend_and_approve', concern: '', 'updateExpectedOn-month': '13' }, draft),
    );
    expect(result.success).toBe(false);
    const errors = formErrors(
      result.error!.issues.map((issue) => ({ path: ['body', ...issue.path].join('.'), message: issue.message })),
    );
    expect(errors.map((e) => e.href)).toEqual(['#concern', '#actionTaken', '#updateExpectedOn-day', '#contactName']);
    expect(
      formErrors([
        { path: 'body.decision', message: 'x' },
        { path: 'body.other', message: 'y' },
      ]),
    ).toEqual([
      { id: 'decision', href: '#decision', text: 'Select whether you approve the briefing, or amend and approve it' },
    ]);
  });
});

describe('sealed sessions', () => {
  const data: SessionData = {
    csrf: 'form-token',
    user: { id: 'pgl-1', roles: ['pgl'], teams: ['north'], via: 'token' },
    expiresAt: 2_000,
  };

  it('open what they sealed, and nothing altered, expired or sealed with another secret', () => {
    const sealer = sessionSealer('a-session-secret-of-at-least-32-chars');
    const sealed = sealer.seal(data);
    expect(sealer.open(sealed, 1_000)).toEqual(data);
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('pgl-1');
    expect(sealer.open(sealed, 2_000)).toBeUndefined();
    const flipped = Buffer.from(sealed, 'base64url');
    flipped[flipped.length - 1]! ^= 1;
    expect(sealer.open(flipped.toString('base64url'), 1_000)).toBeUndefined();
    expect(sessionSealer('another-session-secret-of-32-chars!!').open(sealed, 1_000)).toBeUndefined();
    expect(sealer.open('short', 1_000)).toBeUndefined();
    expect(sealer.open('x'.repeat(5_000), 1_000)).toBeUndefined();
  });

  it('are Secure cookies when the service is reached over https', async () => {
    const app = express();
    app.use(sessions({ secret: 'a-session-secret-of-at-least-32-chars', secure: true }));
    app.get('/', (_req, res) => res.send('ok'));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(response.headers.get('set-cookie')).toMatch(
        /^sd_session=[A-Za-z0-9_-]+; Path=\/; Expires=.*; HttpOnly; Secure; SameSite=Lax$/,
      );
    } finally {
      server.close();
    }
  });

  it('reads one cookie by name from the header', () => {
    expect(cookieValue('a=1; sd_session=abc; b=2', 'sd_session')).toBe('abc');
    expect(cookieValue('xsd_session=abc', 'sd_session')).toBeUndefined();
    expect(cookieValue(undefined, 'sd_session')).toBeUndefined();
  });
});

describe('the report’s filters, periods and charts', () => {
  it('turns London days into instants across the clock change', () => {
    expect(londonMidnight('2026-01-15').toISOString()).toBe('2026-01-15T00:00:00.000Z');
    expect(londonMidnight('2026-07-15').toISOString()).toBe('2026-07-14T23:00:00.000Z');
    expect(londonDay(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
  });

  it('validates and bounds the worktray filters, naming each bad field', () => {
    expect(worktrayFilters({})).toEqual({ values: { status: 'open' }, errors: [] });
    const good = worktrayFilters({ status: 'overdue', team: 'assessment-north', role: 'pgl', dueBefore: '2026-03-20' });
    expect(good.errors).toEqual([]);
    expect(good.values).toMatchObject({
      status: 'overdue',
      team: 'assessment-north',
      role: 'pgl',
      dueBefore: '2026-03-20',
    });
    const bad = worktrayFilters({
      status: 'late',
      team: 'no spaces allowed',
      role: 'constructor',
      rule: ['a', 'b'],
      dueBefore: '2026-02-30',
      cursor: '!',
    });
    expect(bad.errors.map((e) => e.id)).toEqual(['team', 'role', 'rule', 'status', 'dueBefore', 'cursor']);
    expect(worktrayFilters({ dueBefore: '1999-12-31' }).errors).toHaveLength(1);
  });

  it('defaults the report to the last twelve months and this one, and bounds the period', () => {
    expect(defaultPeriod(new Date('2026-03-16T12:00:00Z'))).toEqual({ from: '2025-03-01', to: '2026-04-01' });
    // 23:30 on New Year's Eve is still December in London (GMT); the months roll over the year.
    expect(defaultPeriod(new Date('2026-12-31T23:30:00Z'))).toEqual({ from: '2025-12-01', to: '2027-01-01' });
    const now = new Date('2026-03-16T12:00:00Z');
    expect(periodFilters({ from: '2026-04-01', to: '2026-01-01' }, now).errors[0]!.text).toBe(
      'The end date must be after the start date',
    );
    expect(periodFilters({ from: '2000-01-01', to: '2010-01-01' }, now).errors[0]!.text).toBe(
      'The period must be 5 years or shorter',
    );
    expect(periodFilters({ from: 'soon' }, now).errors.map((e) => e.id)).toEqual(['from']);
  });

  it('cuts a period into its months', () => {
    expect(monthsOf('2026-01-15', '2026-03-10')).toEqual([
      { month: '2026-01', from: '2026-01-15', to: '2026-02-01' },
      { month: '2026-02', from: '2026-02-01', to: '2026-03-01' },
      { month: '2026-03', from: '2026-03-01', to: '2026-03-10' },
    ]);
    expect(monthsOf('2025-12-01', '2026-01-01')).toEqual([{ month: '2025-12', from: '2025-12-01', to: '2026-01-01' }]);
    expect(monthsOf('2020-01-01', '2025-01-01')).toHaveLength(24);
  });

  it('draws bars with a text alternative, escaping the labels', () => {
    const svg = horizontalBars('c', 'On time & late', [{ label: '<b>Visit</b>', onTime: 3, late: 1 }]);
    expect(svg).toContain('role="img"');
    expect(svg).toContain(
      '<desc id="c-desc">On time &amp; late: &lt;b&gt;Visit&lt;/b&gt;, 3 on time and 1 late.</desc>',
    );
    expect(svg).not.toContain('<b>');
    expect(verticalBars('m', 'By month', [])).toContain('no deadlines fell due in the period');
    expect([tickStep(3), tickStep(7), tickStep(40), tickStep(900)]).toEqual([1, 2, 10, 500]);
  });
});
