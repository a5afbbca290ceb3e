/**
 * The worker's Runtime: its logs through the service's logger, and its metrics served in
 * Prometheus text format at `http://WORKER_METRICS_ADDRESS/metrics` by the SDK's Core exporter.
 * That one endpoint carries the SDK's own metrics (`temporal_workflow_task_schedule_to_start_latency`,
 * `temporal_sticky_cache_size`, …) and the service's counters, which workflows and activities emit
 * on the Runtime's meter (workflows/metrics.ts, activities/index.ts).
 */
import { Runtime, type Logger as SdkLogger } from '@temporalio/worker';
import { ConfigError } from '../src/config';

/**
 * Installs the Runtime, once per process and before any connection. An address that cannot be
 * bound (taken by another program, another worker on the same host) stops the worker with a
 * message naming the setting: a scraper would otherwise read another process's numbers, or none.
 */
export function installWorkerRuntime(logger: SdkLogger, metricsAddress: string | undefined): void {
  const metrics = metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress } } } : {};
  try {
    // The Rust core's lines are forwarded to the same logger instead of printed in its own format.
    Runtime.install({ logger, telemetryOptions: { logging: { forward: {} }, ...metrics } });
  } catch (error) {
    if (!metricsAddress) throw error;
    throw new ConfigError(
      `WORKER_METRICS_ADDRESS: cannot serve metrics at ${metricsAddress} (${(error as Error).message}); ` +
        'give each worker on a host its own address, or set it to off',
    );
  }
}
