import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.mts';

/**
 * `npm run test:production`: API tests of several processes, and the two-worker failover, on the
 * full Temporal server on PostgreSQL instead of the dev server (test/production/global-setup.ts).
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: [
        'test/api/need-to-know.api.test.ts',
        'test/api/s47.api.test.ts',
        'test/api/cp-plan.api.test.ts',
        'test/api/looked-after.api.test.ts',
        'test/production/**/*.test.ts',
      ],
      globalSetup: ['test/production/global-setup.ts'],
    },
  }),
);
