/** The API's metrics registry: its own per app, with the Node process's metrics only where asked (the entry point). */
import { describe, expect, it } from 'vitest';
import { createApiMetrics } from '../../src/api/metrics';
import { parseMetrics } from '../helpers/prometheus';

const names = async (metrics: ReturnType<typeof createApiMetrics>) =>
  new Set(parseMetrics(await metrics.registry.metrics()).map((sample) => sample.name));

describe('API metrics registry', () => {
  it("adds the process's CPU, memory and event-loop metrics when asked, and keeps each registry apart", async () => {
    const served = createApiMetrics({ processMetrics: true });
    const plain = createApiMetrics();
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ])
      expect(await names(served)).toContain(name);
    expect(
      [...(await names(plain))].filter((name) => name.startsWith('process_') || name.startsWith('nodejs_')),
    ).toEqual([]);
    expect(plain.registry).not.toBe(served.registry);
    expect(plain.registry.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
