import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, tokensSchema } from '../../src/config';
import { tokenLookup } from '../../src/api/auth';

describe('MAIL_ALLOWED_DOMAINS', () => {
  it('defaults to the local example.test, which the local directory uses', () => {
    expect(loadConfig({}).mail.allowedDomains).toEqual(['example.test']);
  });

  it('takes a comma-separated list, in lower case', () => {
    const directory = JSON.stringify({ director: ['dcs@Council.gov.uk'], pgl: ['pgl@partner.example'] });
    expect(
      loadConfig({ MAIL_ALLOWED_DOMAINS: ' council.gov.uk, Partner.Example ', DIRECTORY: directory }).mail
        .allowedDomains,
    ).toEqual(['council.gov.uk', 'partner.example']);
  });

  it('refuses a directory address outside the allowed domains, naming the role and the address', () => {
    const directory = JSON.stringify({ director: ['dcs@council.gov.uk'], head_of_service: ['hos@evil.test'] });
    expect(() => loadConfig({ MAIL_ALLOWED_DOMAINS: 'council.gov.uk', DIRECTORY: directory })).toThrow(ConfigError);
    expect(() => loadConfig({ MAIL_ALLOWED_DOMAINS: 'council.gov.uk', DIRECTORY: directory })).toThrow(
      /DIRECTORY: head_of_service .*hos@evil\.test/,
    );
    // The local directory is at example.test: another list without a directory of its own is refused too.
    expect(() => loadConfig({ MAIL_ALLOWED_DOMAINS: 'council.gov.uk' })).toThrow(/outside MAIL_ALLOWED_DOMAINS/);
  });

  it('refuses an empty list or something that is not a domain', () => {
    for (const value of ['', ' , ', 'not a domain', '@council.gov.uk', 'localhost']) {
      expect(() => loadConfig({ MAIL_ALLOWED_DOMAINS: value }), value).toThrow(/MAIL_ALLOWED_DOMAINS/);
    }
  });
});

describe('the token table', () => {
  const tokens = tokensSchema.parse({
    'a-real-token-1': { person: 'p1', roles: ['pgl'] },
    'a-real-token-2': { person: 'p2', roles: ['director'] },
  });
  const lookup = tokenLookup(tokens);

  it('finds known tokens only, never an inherited property name', () => {
    expect(lookup('a-real-token-2')).toMatchObject({ person: 'p2' });
    expect(lookup('a-real-token-')).toBeUndefined();
    for (const name of Object.getOwnPropertyNames(Object.prototype)) expect(lookup(name), name).toBeUndefined();
  });
});

describe('LOG_LEVEL', () => {
  it('defaults to info and takes any pino level, in any case', () => {
    expect(loadConfig({}).log.level).toBe('info');
    expect(loadConfig({ LOG_LEVEL: ' WARN ' }).log.level).toBe('warn');
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const) {
      expect(loadConfig({ LOG_LEVEL: level }).log.level).toBe(level);
    }
  });

  it('refuses anything else, naming the variable and the levels', () => {
    for (const value of ['verbose', 'information', '']) {
      expect(() => loadConfig({ LOG_LEVEL: value }), value).toThrow(ConfigError);
      expect(() => loadConfig({ LOG_LEVEL: value }), value).toThrow(/expected one of fatal, error, warn/);
      expect(() => loadConfig({ LOG_LEVEL: value }), value).toThrow(/at LOG_LEVEL/);
    }
  });
});
