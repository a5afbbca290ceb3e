/** WORKER_METRICS_ADDRESS: where the worker serves its Prometheus metrics, as the SDK's exporter binds it. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

describe('worker metrics configuration', () => {
  it('serves on loopback port 9464 unless told, on any IP address and port given, or not at all', () => {
    expect(loadConfig({}).metrics).toEqual({ workerAddress: '127.0.0.1:9464' });
    for (const address of ['0.0.0.0:9464', '10.1.2.3:1', '[::1]:9464', '[::]:65535'])
      expect(loadConfig({ WORKER_METRICS_ADDRESS: address }).metrics.workerAddress).toBe(address);
    expect(loadConfig({ WORKER_METRICS_ADDRESS: 'off' }).metrics).toEqual({ workerAddress: undefined });
  });

  it('refuses what the exporter could not bind, naming the setting', () => {
    // Host names are not resolved by the exporter: an IP address only, and a port from 1.
    for (const value of [
      'localhost:9464',
      '127.0.0.1',
      '127.0.0.1:',
      '127.0.0.1:0',
      '127.0.0.1:65536',
      '::1:9464',
      '[::1]',
      '300.1.1.1:9464',
      'http://127.0.0.1:9464',
      '127.0.0.1:9464/metrics',
      ' 127.0.0.1:9464',
      'OFF',
      '',
    ]) {
      expect(() => loadConfig({ WORKER_METRICS_ADDRESS: value }), value).toThrow(ConfigError);
      expect(() => loadConfig({ WORKER_METRICS_ADDRESS: value }), value).toThrow(/WORKER_METRICS_ADDRESS/);
    }
  });
});
