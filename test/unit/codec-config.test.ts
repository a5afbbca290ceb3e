/** The codec server's configuration: the Web UI origins CORS admits, and the local-UI trust kept to loopback. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { isLoopbackAddress, isLoopbackHost } from '../../src/loopback';

describe('codec configuration', () => {
  it('admits the default local Web UI under both its loopback names, and a deployed one exactly', () => {
    expect(loadConfig({}).codec).toEqual({
      webUiOrigins: ['http://localhost:8233', 'http://127.0.0.1:8233'],
      trustLocalUi: false,
    });
    expect(loadConfig({ TEMPORAL_UI_PORT: '9233' }).codec.webUiOrigins).toEqual([
      'http://localhost:9233',
      'http://127.0.0.1:9233',
    ]);
    expect(
      loadConfig({ TEMPORAL_WEB_UI_URL: 'https://temporal.council.example/namespaces' }).codec.webUiOrigins,
    ).toEqual(['https://temporal.council.example']);
    // A host named like an Object.prototype property is a host, not a lookup.
    expect(loadConfig({ TEMPORAL_WEB_UI_URL: 'http://constructor:8233' }).codec.webUiOrigins).toEqual([
      'http://constructor:8233',
    ]);
  });

  it('trusts the local Web UI without a token only when asked, and only on a loopback HOST', () => {
    expect(loadConfig({ CODEC_LOCAL_UI: 'on' }).codec.trustLocalUi).toBe(true);
    expect(loadConfig({ CODEC_LOCAL_UI: 'on', HOST: 'localhost' }).codec.trustLocalUi).toBe(true);
    expect(loadConfig({ CODEC_LOCAL_UI: 'on', HOST: '::1' }).codec.trustLocalUi).toBe(true);
    for (const HOST of ['0.0.0.0', '::', '192.0.2.10', 'api.council.example']) {
      expect(() => loadConfig({ CODEC_LOCAL_UI: 'on', HOST })).toThrow(ConfigError);
      expect(() => loadConfig({ CODEC_LOCAL_UI: 'on', HOST })).toThrow(`CODEC_LOCAL_UI=on`);
      expect(() => loadConfig({ CODEC_LOCAL_UI: 'on', HOST })).toThrow(`HOST is ${HOST}`);
      expect(loadConfig({ HOST }).codec.trustLocalUi).toBe(false);
    }
    expect(() => loadConfig({ CODEC_LOCAL_UI: 'yes' })).toThrow(ConfigError);
  });

  it('knows a loopback peer from any other', () => {
    for (const address of ['127.0.0.1', '127.5.6.7', '::1', '::ffff:127.0.0.1'])
      expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of [undefined, '', '192.0.2.2', '::ffff:192.0.2.2', 'fd00::2', '::', '0.0.0.0', '128.0.0.1'])
      expect(isLoopbackAddress(address), String(address)).toBe(false);
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('localhost.council.example')).toBe(false);
  });
});
