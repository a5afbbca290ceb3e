/**
 * `npm run test:production`: one full Temporal server on PostgreSQL for the whole run
 * (test/helpers/temporal-postgres.ts). Every test file that would start a dev server connects to it
 * instead, in a namespace of its own (test/helpers/temporal.ts `devServerEnv`).
 */
import { startTemporalOnPostgres, type TemporalOnPostgres } from '../helpers/temporal-postgres';

let server: TemporalOnPostgres | undefined;

export async function setup() {
  server = await startTemporalOnPostgres();
  // Read by the test files' processes, which start after this.
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
  console.log(
    `[test:production] Temporal server ${server.version} (temporal-server, deploy/temporal/config.yaml) on ` +
      `PostgreSQL at ${server.address}; its log: ${server.logFile}`,
  );
}

export async function teardown() {
  await server?.stop();
}
