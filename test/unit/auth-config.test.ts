import { describe, expect, it } from 'vitest';
import { claimAt, rolesFrom } from '../../src/api/auth';
import { ConfigError, loadConfig, localTokens } from '../../src/config';

const jwtEnv = {
  AUTH_ISSUER: 'https://idp.council.gov.uk/realms/cs',
  AUTH_AUDIENCE: 'statutory-deadlines',
  AUTH_JWKS_URL: 'https://idp.council.gov.uk/realms/cs/protocol/openid-connect/certs',
};

describe('JWT authentication configuration', () => {
  it('is off by default, and the local tokens are the table', () => {
    const config = loadConfig({});
    expect(config.jwt).toBeUndefined();
    expect(config.tokens).toBe(localTokens);
  });

  it('is on with all three of AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL, claims sub and roles unless told', () => {
    expect(loadConfig(jwtEnv).jwt).toEqual({
      issuer: jwtEnv.AUTH_ISSUER,
      audience: jwtEnv.AUTH_AUDIENCE,
      jwksUrl: jwtEnv.AUTH_JWKS_URL,
      personClaim: 'sub',
      rolesClaim: 'roles',
    });
    const told = loadConfig({
      ...jwtEnv,
      AUTH_PERSON_CLAIM: 'preferred_username',
      AUTH_ROLES_CLAIM: 'realm_access.roles',
    });
    expect(told.jwt).toMatchObject({ personClaim: 'preferred_username', rolesClaim: 'realm_access.roles' });
  });

  it('then accepts no well-known local token: static tokens come from AUTH_TOKENS only', () => {
    expect(loadConfig(jwtEnv).tokens).toEqual({});
    const tokens = JSON.stringify({ 'case-system-secret': { person: 'case-system', roles: ['case_system'] } });
    expect(Object.keys(loadConfig({ ...jwtEnv, AUTH_TOKENS: tokens }).tokens)).toEqual(['case-system-secret']);
  });

  it('refuses some of the three without the others, naming those missing', () => {
    const { AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URL } = jwtEnv;
    expect(() => loadConfig({ AUTH_ISSUER })).toThrow(ConfigError);
    expect(() => loadConfig({ AUTH_ISSUER })).toThrow(/needs all of .*missing: AUTH_AUDIENCE, AUTH_JWKS_URL$/);
    expect(() => loadConfig({ AUTH_AUDIENCE, AUTH_JWKS_URL })).toThrow(/missing: AUTH_ISSUER$/);
    expect(() => loadConfig({ AUTH_ISSUER, AUTH_AUDIENCE })).toThrow(/missing: AUTH_JWKS_URL$/);
  });

  it('refuses the claim settings without JWT authentication', () => {
    expect(() => loadConfig({ AUTH_ROLES_CLAIM: 'groups' })).toThrow(
      /AUTH_ROLES_CLAIM: set only with AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL/,
    );
  });

  it('takes the key set over https, or over http on a loopback host only', () => {
    for (const url of ['http://127.0.0.1:8080/jwks', 'http://localhost/jwks', 'http://[::1]:9000/certs']) {
      expect(loadConfig({ ...jwtEnv, AUTH_JWKS_URL: url }).jwt?.jwksUrl, url).toBe(new URL(url).href);
    }
    for (const url of ['http://idp.council.gov.uk/certs', 'http://10.0.0.5/jwks', 'ftp://127.0.0.1/jwks']) {
      expect(() => loadConfig({ ...jwtEnv, AUTH_JWKS_URL: url }), url).toThrow(/AUTH_JWKS_URL: must be https/);
    }
    expect(() => loadConfig({ ...jwtEnv, AUTH_JWKS_URL: 'not a url' })).toThrow(/AUTH_JWKS_URL/);
  });

  it('refuses empty values and claim paths that are not one', () => {
    expect(() => loadConfig({ ...jwtEnv, AUTH_ISSUER: '' })).toThrow(/AUTH_ISSUER/);
    expect(() => loadConfig({ ...jwtEnv, AUTH_AUDIENCE: '' })).toThrow(/AUTH_AUDIENCE/);
    for (const path of ['', 'realm_access..roles', '.roles', 'roles.', 'my roles']) {
      expect(() => loadConfig({ ...jwtEnv, AUTH_ROLES_CLAIM: path }), path).toThrow(/AUTH_ROLES_CLAIM/);
    }
    expect(() => loadConfig({ ...jwtEnv, AUTH_PERSON_CLAIM: '' })).toThrow(/AUTH_PERSON_CLAIM/);
  });
});

describe('claims', () => {
  const claims = {
    sub: 'p1',
    roles: 'social_worker',
    realm_access: { roles: ['team_manager'] },
    'https://council.gov.uk/roles': ['pgl'],
  };

  it('are found by name, by dotted path, or by a name with dots in it; own properties only', () => {
    expect(claimAt(claims, 'sub')).toBe('p1');
    expect(claimAt(claims, 'realm_access.roles')).toEqual(['team_manager']);
    expect(claimAt(claims, 'https://council.gov.uk/roles')).toEqual(['pgl']);
    expect(claimAt(claims, 'realm_access.missing')).toBeUndefined();
    expect(claimAt(claims, 'sub.length')).toBeUndefined();
    expect(claimAt(claims, 'constructor')).toBeUndefined();
    expect(claimAt(claims, 'realm_access.toString')).toBeUndefined();
  });

  it('give the service’s roles only, from an array or a space-separated string', () => {
    expect(rolesFrom(['social_worker', 'offline_access', 'administrator'])).toEqual(['social_worker', 'administrator']);
    expect(rolesFrom('default-roles  pgl pgl director')).toEqual(['pgl', 'director']);
    expect(rolesFrom([1, null, ['pgl'], 'iro'])).toEqual(['iro']);
    for (const nothing of [undefined, null, 7, {}, { pgl: true }, '', ['toString', '__proto__', 'constructor']]) {
      expect(rolesFrom(nothing), JSON.stringify(nothing)).toEqual([]);
    }
  });
});
