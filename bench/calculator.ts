/**
 * How long does a full batch of the deadline calculator take over HTTP? `npm run bench:calculator`.
 * One run on a noisy machine: compare the HTTP figure with the in-process one beside it.
 */
import { Client, Connection } from '@temporalio/client';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createApp } from '../src/api/app';
import { silentLogger } from '../src/logger';
import { MAX_BATCH } from '../src/api/calculator-routes';
import { ProcessService } from '../src/api/process-service';
import { calendarFromConfig, loadConfig, localTokens } from '../src/config';
import { calculateDue } from '../src/deadline-calculator';
import { deadlineRules } from '../src/rules';

async function main() {
  const calendar = calendarFromConfig(loadConfig({}));
  const service = new ProcessService({
    client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    taskQueue: 'unused',
    namespace: 'default',
    webUiUrl: 'http://x',
  });
  const server = createApp({ service, calendar, tokens: localTokens, logger: silentLogger }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/deadlines/calculate`;
  const rules = [...deadlineRules.values()].filter((rule) => rule.duration).map((rule) => rule.id);
  const from = Date.parse('2018-01-01T00:00:00Z');
  const items = Array.from({ length: MAX_BATCH }, (_, i) => ({
    rule: rules[i % rules.length]!,
    anchor: new Date(from + i * 7_919_000_00).toISOString(),
  }));

  const inProcess: number[] = [];
  const overHttp: number[] = [];
  for (let run = 0; run < 6; run += 1) {
    let start = performance.now();
    for (const item of items) calculateDue(calendar, item.rule, new Date(item.anchor));
    inProcess.push(performance.now() - start);
    start = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: 'Bearer local-pgl', 'content-type': 'application/json' },
      body: JSON.stringify(items),
    });
    await response.json();
    overHttp.push(performance.now() - start);
  }
  server.close();
  const median = (xs: number[]) => [...xs.slice(1)].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!; // first run is warm-up
  console.log(`batch of ${MAX_BATCH} mixed rules (${rules.length} rules), median of 5 runs after a warm-up:`);
  console.log(`in process   ${median(inProcess).toFixed(1)} ms`);
  console.log(
    `over HTTP    ${median(overHttp).toFixed(1)} ms  (${(median(overHttp) / median(inProcess)).toFixed(2)}× in process)`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
