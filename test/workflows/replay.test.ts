import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayOptions } from '../helpers/temporal';

const dir = path.resolve(__dirname, '../histories');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json'));
/** Fixtures whose commands depend on their workflow id (a raised briefing's id is derived from it). */
const workflowIds = new Map([
  ['missing-episode-found-after-threshold.json', 'missing-R10'],
  ['key-event-out-of-education.json', 'kev-R12'],
  ['serious-incident-lac-death.json', 'incident-died-CH-R14'],
  ['serious-incident-harm-on-plan.json', 'incident-R15'],
]);

describe('replay of committed histories (workflows must stay replay-safe)', () => {
  it('has fixtures for every workflow', () => {
    for (const workflow of [
      'need-to-know-',
      's47-',
      'child-protection-plan-',
      'looked-after-child-',
      'missing-episode-',
      'key-event-',
      'serious-incident-',
    ])
      expect(fixtures.some((f) => f.startsWith(workflow))).toBe(true);
  });

  it.each(fixtures)('%s replays on the current code without nondeterminism', async (file) => {
    const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    await expect(
      Worker.runReplayHistory(
        await replayOptions(),
        history,
        workflowIds.get(file.replace('-evidence.json', '.json')) ?? file,
      ),
    ).resolves.toBeUndefined();
  });
});

describe('upgrade path: a change guarded by patched()', () => {
  it('replays a history recorded before the patch, which took the old path', async () => {
    const json = readFileSync(path.join(dir, 'need-to-know-cat2-approved.json'), 'utf8');
    // The fixture predates the patch: no marker, and the PGL approval sent no author copy.
    expect(json).not.toContain('core_patch');
    expect(json).not.toContain('author-copy');
    expect(json).toContain('pglResponse');
    const history = temporal.api.history.v1.History.fromObject(JSON.parse(json));
    await expect(Worker.runReplayHistory(await replayOptions(), history, 'pre-patch')).resolves.toBeUndefined();
  });

  it('has histories recorded after the audit patches, with their markers (they replay above)', () => {
    const markers = (file: string) =>
      temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(dir, file), 'utf8')))
        .events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
        .map(
          (e) =>
            JSON.parse(
              Buffer.from(e.markerRecordedEventAttributes!.details!['patch-data']!.payloads![0]!.data!).toString(),
            ).id,
        );
    expect(markers('s47-assessment-every-enquiry.json')).toEqual(
      expect.arrayContaining(['s47-complex-notifies-l2', 's47-assessment-every-enquiry']),
    );
    expect(markers('need-to-know-draft-revised.json')).toEqual(expect.arrayContaining(['ntk-draft-met-by-revision']));
    expect(markers('looked-after-child-start-notified.json')).toEqual(['lac-notify-start-met-by-email']);
    // Both sides of the start made at once: the fixture above took the old path, this one the new.
    expect(markers('looked-after-child-start-at-once.json')).toContain(
      'lac-start-planned-at-once-answered-before-email',
    );
    expect(markers('looked-after-child-placement-key-events.json')).toContain('lac-placement-key-events');
    // Recorded before every one of them: the pre-change side of each patch.
    for (const file of [
      's47-contact-to-icpc.json',
      'need-to-know-cat2-approved.json',
      'looked-after-child-cycle-1-continued.json',
    ])
      expect(markers(file)).toEqual([]);
    // A placement change recorded before 'lac-placement-key-events': the old path, which replays above.
    const beforeKeyEvents = 'looked-after-child-placement-before-key-events.json';
    expect(readFileSync(path.join(dir, beforeKeyEvents), 'utf8')).toContain('"lacPlacementChanged"');
    expect(markers(beforeKeyEvents)).not.toContain('lac-placement-key-events');
  });

  it('replays plans recorded before and after the 6-monthly assessment clock (patch cp-assessment-6-monthly)', async () => {
    const load = (file: string) =>
      temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    const patches = (history: temporal.api.history.v1.History) =>
      history.events
        .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
        .map(
          (e) =>
            JSON.parse(
              Buffer.from(e.markerRecordedEventAttributes!.details!['patch-data']!.payloads![0]!.data!).toString(),
            ).id,
        );
    const before = load('child-protection-plan-first-weeks.json'); // recorded before the clock existed
    const after = load('child-protection-plan-moved-away.json');
    expect(patches(before)).toEqual([]);
    expect(patches(after)).toEqual(['cp-assessment-6-monthly']);
    for (const [name, history] of [
      ['pre-patch plan', before],
      ['patched plan', after],
    ] as const) {
      await expect(Worker.runReplayHistory(await replayOptions(), history, name)).resolves.toBeUndefined();
    }
  });
});

describe('histories recorded with the payload codec', () => {
  const file = 'need-to-know-encrypted.json';
  const json = readFileSync(path.join(dir, file), 'utf8');

  it('hold every payload encrypted, so none of the briefing is readable in the fixture', () => {
    expect(json).toContain(Buffer.from('binary/encrypted').toString('base64'));
    // Every payload's data, decoded: only the SDK's own records and search attributes are readable.
    const decoded: string[] = [];
    JSON.parse(json, (key, value) => {
      if (key === 'data' && typeof value === 'string') decoded.push(Buffer.from(value, 'base64').toString('latin1'));
      return value;
    });
    const readable = decoded.join('\n');
    expect(readable).toContain('"activity_type":"planDeadline"'); // a local activity's marker record, by design
    for (const plain of ['Test Child', 'Sam Worker', 'Looked-after child missing', 'Police informed'])
      expect(readable).not.toContain(plain);
  });

  it('need the key to replay: without it, the worker cannot read its own input', async () => {
    const history = temporal.api.history.v1.History.fromObject(JSON.parse(json));
    const { workflowBundle } = await replayOptions();
    await expect(Worker.runReplayHistory({ workflowBundle }, history, 'without the key')).rejects.toThrow();
  });
});
