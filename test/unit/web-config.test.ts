/** The pages' configuration: PUBLIC_URL, the session secret, and the OpenID Connect provider. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

const secret = 's'.repeat(32);

describe('the pages’ configuration', () => {
  it('serves no pages without a session secret, and the token form with one', () => {
    expect(loadConfig({}).web).toEqual({
      publicUrl: 'http://127.0.0.1:3000',
      sessionSecret: undefined,
      tokenSignIn: true,
    });
    expect(loadConfig({ SESSION_SECRET: secret, PUBLIC_URL: 'https://deadlines.council.example/' }).web).toEqual({
      publicUrl: 'https://deadlines.council.example',
      sessionSecret: secret,
      tokenSignIn: true,
    });
  });

  it('reads the secret from a file, and refuses a short one, a missing file, or both ways at once', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'web-config-'));
    const file = path.join(dir, 'session-secret');
    writeFileSync(file, `${secret}\n`);
    expect(loadConfig({ SESSION_SECRET_FILE: file }).web.sessionSecret).toBe(secret);
    writeFileSync(file, 'short\n');
    expect(() => loadConfig({ SESSION_SECRET_FILE: file })).toThrow(/at least 32 characters/);
    expect(() => loadConfig({ SESSION_SECRET_FILE: path.join(dir, 'none') })).toThrow(/cannot read .* \(ENOENT\)/);
    expect(() => loadConfig({ SESSION_SECRET: secret, SESSION_SECRET_FILE: file })).toThrow(ConfigError);
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/at least 32 characters/);
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://x.example' })).toThrow(ConfigError);
  });

  it('signs in with the provider, not the token form, when OIDC_ISSUER is set, with the API’s claims', () => {
    const web = loadConfig({
      SESSION_SECRET: secret,
      PUBLIC_URL: 'https://deadlines.council.example',
      OIDC_ISSUER: 'https://idp.council.example/realms/cs',
      OIDC_CLIENT_ID: 'statutory-deadlines',
      OIDC_CLIENT_SECRET: 'client-secret',
      AUTH_ISSUER: 'https://idp.council.example/realms/cs',
      AUTH_AUDIENCE: 'statutory-deadlines',
      AUTH_JWKS_URL: 'https://idp.council.example/realms/cs/certs',
      AUTH_ROLES_CLAIM: 'realm_access.roles',
    }).web;
    expect(web.tokenSignIn).toBe(false);
    expect(web.oidc).toEqual({
      issuer: 'https://idp.council.example/realms/cs',
      clientId: 'statutory-deadlines',
      clientSecret: 'client-secret',
      personClaim: 'sub',
      rolesClaim: 'realm_access.roles',
      teamsClaim: 'teams',
    });
  });

  it('refuses an incomplete or insecure provider configuration', () => {
    const base = { SESSION_SECRET: secret, PUBLIC_URL: 'https://deadlines.council.example' };
    expect(() => loadConfig({ ...base, OIDC_ISSUER: 'https://idp.example' })).toThrow(/needs OIDC_CLIENT_ID/);
    expect(() => loadConfig({ OIDC_ISSUER: 'https://idp.example', OIDC_CLIENT_ID: 'c' })).toThrow(/needs PUBLIC_URL/);
    expect(() => loadConfig({ ...base, OIDC_ISSUER: 'http://idp.example', OIDC_CLIENT_ID: 'c' })).toThrow(
      /must be https/,
    );
    expect(loadConfig({ ...base, OIDC_ISSUER: 'http://127.0.0.1:9999', OIDC_CLIENT_ID: 'c' }).web.oidc?.issuer).toBe(
      'http://127.0.0.1:9999',
    );
    expect(() => loadConfig({ OIDC_CLIENT_ID: 'c' })).toThrow(/set only with OIDC_ISSUER/);
  });
});
