import { defineConfig } from 'vitest/config';
import base from './vitest.config.mts';

/**
 * `npm run test:production`: API tests of four processes, and the two-worker failover, on the full
 * Temporal server on PostgreSQL instead of the dev server (test/production/global-setup.ts).
 * Written out rather than merged: mergeConfig would append this `include` to the suite's.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: [
      'test/api/need-to-know.api.test.ts',
      'test/api/s47.api.test.ts',
      'test/api/cp-plan.api.test.ts',
      'test/api/looked-after.api.test.ts',
      'test/api/two-workers.api.test.ts',
    ],
    globalSetup: ['test/production/global-setup.ts'],
  },
});
