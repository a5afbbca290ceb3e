import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../helpers/temporal';

const dir = path.resolve(__dirname, '../histories');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('replay of committed histories (workflows must stay replay-safe)', () => {
  it('has fixtures for every workflow', () => {
    for (const workflow of ['need-to-know-', 's47-', 'child-protection-plan-']) expect(fixtures.some((f) => f.startsWith(workflow))).toBe(true);
  });

  it.each(fixtures)('%s replays on the current code without nondeterminism', async (file) => {
    const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file)).resolves.toBeUndefined();
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
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, 'pre-patch')).resolves.toBeUndefined();
  });
});
