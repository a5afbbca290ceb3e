/**
 * A child's details never reach Temporal in plaintext: after a Need to Know briefing, a plan and a
 * looked-after episode run on the dev server, neither the history the `temporal` CLI fetches nor
 * the server's SQLite files (with their write-ahead log) hold the child's name, the concern, the
 * contact's phone or a date of birth, while the API still answers with them to an authorised caller.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTokens } from '../../src/config';
import { apiStack } from '../helpers/stack';
import { briefingRequest } from '../helpers/need-to-know';

const secrets = {
  name: 'Ffion Nightingale-Plaintext',
  concern: 'Disclosed to the school nurse that a lodger hit her (marker 7Q2X).',
  phone: '07700 900461',
  briefingDateOfBirth: '2012-02-29',
  planDateOfBirth: '2014-03-17',
  episodeDateOfBirth: '2013-11-23',
};
const HOUR = 3_600_000;
const iso = (offset: number) => new Date(Date.now() + offset).toISOString();

let stack: Awaited<ReturnType<typeof apiStack>>;
let dbFilename: string;
beforeAll(async () => {
  dbFilename = path.join(mkdtempSync(path.join(tmpdir(), 'deadlines-sqlite-')), 'temporal.sqlite');
  stack = await apiStack(localTokens, { dbFilename });
}, 120_000);
afterAll(() => stack?.stop());

/** Every byte the server has written, as text (what `grep -a` reads). */
const storedBytes = () =>
  readdirSync(path.dirname(dbFilename))
    .filter((file) => file.startsWith('temporal.sqlite'))
    .map((file) => readFileSync(path.join(path.dirname(dbFilename), file)).toString('latin1'))
    .join('\n');

const cliHistory = (workflowId: string) =>
  execFileSync(
    path.resolve(__dirname, '../../.tools/bin/temporal'),
    ['workflow', 'show', '--workflow-id', workflowId, '--address', stack.env.address, '--output', 'json'],
    { encoding: 'utf8' },
  );

describe('the history Temporal stores is encrypted', () => {
  it('holds none of the child’s details, which the API still shows to those allowed to see them', async () => {
    const request = briefingRequest('ENC1');
    const briefing = {
      ...request,
      briefing: {
        ...request.briefing,
        child: { ...request.briefing.child, name: secrets.name, dateOfBirth: secrets.briefingDateOfBirth },
        concern: secrets.concern,
        contact: { name: 'Sam Worker', phone: secrets.phone },
      },
    };
    expect((await stack.call('POST', '/v1/need-to-know', 'local-social-worker', briefing)).status).toBe(201);
    const approved = await stack.call('POST', '/v1/need-to-know/ENC1/pgl-response', 'local-pgl', {
      decision: 'approve',
    });
    expect(approved.status).toBe(200);
    // Activities carried the details to the mail: the Director's copy names the child.
    const [toDirector] = await stack.smtp.waitFor(
      (m) => m.messageId === '<ntk-ENC1.briefing.v1.approved@test.example>',
    );
    expect(toDirector!.text).toContain(secrets.name);

    const plan = await stack.call('POST', '/v1/child-protection-plans', 'local-case-system', {
      planId: 'ENC2',
      caseReference: 'CASE-ENC2',
      childReference: 'CH-ENC2',
      childDateOfBirth: secrets.planDateOfBirth,
      icpcHeldAt: iso(-24 * HOUR),
    });
    expect(plan.status).toBe(201);
    const episode = await stack.call('POST', '/v1/looked-after-children', 'local-case-system', {
      episodeId: 'ENC3',
      caseReference: 'CASE-ENC3',
      childReference: 'CH-ENC3',
      childDateOfBirth: secrets.episodeDateOfBirth,
      lacStartAt: iso(-HOUR),
      emergency: true,
      legalBasis: 'epo',
      approval: { by: 'director', at: iso(-2 * HOUR), nextCarePanelDate: iso(7 * 24 * HOUR).slice(0, 10) },
      placement: { placementId: 'ENC3-P1', type: 'foster' },
      education: { stage: 'primary' },
    });
    expect(episode.status).toBe(201);

    // The API decrypts for those allowed: the briefing to its staff (not to QA), the plan's 18th-birthday anchor.
    const read = await stack.call('GET', '/v1/need-to-know/ENC1/briefing', 'local-pgl');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      version: 1,
      briefing: {
        child: { name: secrets.name, dateOfBirth: secrets.briefingDateOfBirth },
        concern: secrets.concern,
        contact: { phone: secrets.phone },
      },
    });
    expect((await stack.call('GET', '/v1/need-to-know/ENC1/briefing', 'local-qa')).status).toBe(403);
    const planState = await stack.call('GET', '/v1/child-protection-plans/ENC2', 'local-team-manager');
    expect(planState.body.deadlines.find((d: { id: string }) => d.id === 'cp-age-18-review').anchorAt).toBe(
      `${secrets.planDateOfBirth}T00:00:00.000Z`,
    );
    expect((await stack.call('GET', '/v1/looked-after-children/ENC3', 'local-team-manager')).status).toBe(200);

    const histories = ['ntk-ENC1', 'cpp-ENC2', 'lac-ENC3'].map(cliHistory).join('\n');
    expect(histories).toContain(Buffer.from('binary/encrypted').toString('base64')); // every payload's encoding
    expect(histories).toContain('"name": "childProtectionPlan"'); // the workflow type: what the UI lists by
    const stored = storedBytes();
    expect(stored).toContain('CASE-ENC3'); // the search reads the real files: the same plaintext is found there
    for (const [what, secret] of Object.entries(secrets)) {
      expect(histories.includes(secret), `${what} in the CLI's history`).toBe(false);
      expect(stored.includes(secret), `${what} in the SQLite files`).toBe(false);
    }
  }, 120_000);
});
