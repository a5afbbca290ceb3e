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
    expect(fixtures.some((f) => f.startsWith('need-to-know-'))).toBe(true);
  });

  it.each(fixtures)('%s replays on the current code without nondeterminism', async (file) => {
    const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file)).resolves.toBeUndefined();
  });
});
