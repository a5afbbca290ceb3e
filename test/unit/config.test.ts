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

describe('the worker settings (WORKER_*)', () => {
  it('default to a sticky cache that fits 10,000 open processes in a 1 GB worker', () => {
    expect(loadConfig({}).worker).toEqual({
      maxCachedWorkflows: 500,
      maxConcurrentWorkflowTaskExecutions: 40,
      workflowThreadPoolSize: 1,
      reuseV8Context: true,
    });
  });

  it('take each setting as a whole number in its range, and the V8 context reuse as on or off', () => {
    const worker = loadConfig({
      WORKER_CACHED_WORKFLOWS: '2500',
      WORKER_WORKFLOW_TASKS: '80',
      WORKER_WORKFLOW_THREADS: '2',
      WORKER_REUSE_V8_CONTEXT: 'off',
    }).worker;
    expect(worker).toEqual({
      maxCachedWorkflows: 2500,
      maxConcurrentWorkflowTaskExecutions: 80,
      workflowThreadPoolSize: 2,
      reuseV8Context: false,
    });
    expect(loadConfig({ WORKER_CACHED_WORKFLOWS: '0', WORKER_WORKFLOW_TASKS: '1' }).worker).toMatchObject({
      maxCachedWorkflows: 0,
      maxConcurrentWorkflowTaskExecutions: 1,
    });
  });

  it('refuses a value out of range or not a whole number, naming the variable', () => {
    const bad: Array<[string, string]> = [
      ['WORKER_CACHED_WORKFLOWS', '-1'],
      ['WORKER_CACHED_WORKFLOWS', '1.5'],
      ['WORKER_CACHED_WORKFLOWS', 'lots'],
      ['WORKER_CACHED_WORKFLOWS', '100001'],
      ['WORKER_WORKFLOW_TASKS', '0'],
      ['WORKER_WORKFLOW_TASKS', '1001'],
      ['WORKER_WORKFLOW_THREADS', '0'],
      ['WORKER_WORKFLOW_THREADS', '17'],
      ['WORKER_REUSE_V8_CONTEXT', 'yes'],
    ];
    for (const [name, value] of bad) {
      expect(() => loadConfig({ [name]: value }), `${name}=${value}`).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value }), `${name}=${value}`).toThrow(new RegExp(`at ${name}`));
    }
  });

  it('refuses a sticky cache with fewer than two workflow task slots, as the SDK would at start', () => {
    expect(() => loadConfig({ WORKER_WORKFLOW_TASKS: '1' })).toThrow(
      /WORKER_WORKFLOW_TASKS must be at least 2 while WORKER_CACHED_WORKFLOWS is not 0/,
    );
  });
});
