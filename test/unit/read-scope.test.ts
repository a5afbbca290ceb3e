/** Who reads what (src/evidence/scope.ts), the organisation it rests on, and where a process is read. */
import { describe, expect, it } from 'vitest';
import { processes } from '../../src/api/app';
import { csvCell, toCsv } from '../../src/api/reports-routes';
import { teamsFrom } from '../../src/api/auth';
import { ConfigError, loadConfig, localTokens } from '../../src/config';
import { scopeCoversTeam, scopeFilter, scopeOf } from '../../src/evidence/scope';
import { whoMustAct } from '../../src/evidence/who-must-act';
import { localOrganisation, organisationSchema, teamsOf, type Organisation } from '../../src/organisation';
import type { Actor, Caller } from '../../src/process';
import { processLink, processResources } from '../../src/process-links';
import { roles } from '../../src/roles';

const organisation: Organisation = {
  services: [
    { id: 'safeguarding', teams: ['north', 'south'] },
    { id: 'care', teams: ['lac'] },
  ],
};
const caller = (roleList: Actor['roles'], teams: string[] = [], id = 'p-1'): Caller => ({
  actor: { id, roles: roleList },
  teams,
});

describe('scopeOf', () => {
  it.each(['director', 'slt', 'qa_bstl', 'cic_business_support', 'administrator'] as const)('%s sees all', (role) => {
    expect(scopeOf(caller([role]), organisation)).toBe('all');
    expect(scopeOf(caller([role, 'team_manager'], ['north']), organisation)).toBe('all');
  });

  it('gives a PGL or a Head of Service their services’ teams', () => {
    expect(scopeOf(caller(['pgl'], ['safeguarding']), organisation)).toEqual({ teams: ['north', 'south'] });
    expect(scopeOf(caller(['head_of_service'], ['safeguarding', 'care']), organisation)).toEqual({
      teams: ['north', 'south', 'lac'],
    });
  });

  it('gives a team manager their teams, and nothing when their token names none', () => {
    expect(scopeOf(caller(['team_manager'], ['south']), organisation)).toEqual({ teams: ['south'] });
    expect(scopeOf(caller(['team_manager']), organisation)).toEqual({ teams: [] });
    // A team the organisation does not list is still a team.
    expect(scopeOf(caller(['team_manager'], ['new-team']), organisation)).toEqual({ teams: ['new-team'] });
  });

  it('gives a social worker with no other role their own cases, and one with a manager role the teams', () => {
    expect(scopeOf(caller(['social_worker'], ['north'], 'sw-9'), organisation)).toEqual({ socialWorker: 'sw-9' });
    expect(scopeOf(caller(['social_worker', 'team_manager'], ['north'], 'sw-9'), organisation)).toEqual({
      teams: ['north'],
    });
    expect(scopeOf(caller(['social_worker', 'case_system'], [], 'sw-9'), organisation)).toEqual({
      socialWorker: 'sw-9',
    });
  });

  it('gives the case system, or no role, nothing', () => {
    expect(scopeOf(caller(['case_system']), organisation)).toBeUndefined();
    expect(scopeOf(caller([]), organisation)).toBeUndefined();
  });

  it('gives every staff role some scope', () => {
    for (const role of roles) expect(scopeOf(caller([role], ['north']), organisation)).toBeDefined();
  });

  it('covers a team within it only, and turns into the store’s filter', () => {
    expect(scopeCoversTeam('all', 'x')).toBe(true);
    expect(scopeCoversTeam({ socialWorker: 'sw' }, 'x')).toBe(true);
    expect(scopeCoversTeam({ teams: ['north'] }, 'north')).toBe(true);
    expect(scopeCoversTeam({ teams: ['north'] }, 'south')).toBe(false);
    expect(scopeFilter('all')).toEqual({ teams: 'all' });
    expect(scopeFilter({ teams: ['north'] })).toEqual({ teams: ['north'] });
    expect(scopeFilter({ socialWorker: 'sw' })).toEqual({ teams: 'all', socialWorker: 'sw' });
  });
});

describe('the organisation', () => {
  it('expands service ids to their teams, each team once', () => {
    expect(teamsOf(organisation, ['safeguarding', 'north', 'lac'])).toEqual(['north', 'south', 'lac']);
    expect(teamsOf(organisation, [])).toEqual([]);
  });

  it.each([
    [
      {
        services: [
          { id: 'a', teams: ['t'] },
          { id: 'a', teams: ['u'] },
        ],
      },
      'service a is listed twice',
    ],
    [
      {
        services: [
          { id: 'a', teams: ['t'] },
          { id: 'b', teams: ['t'] },
        ],
      },
      'team t is listed twice',
    ],
    [{ services: [{ id: 'a', teams: ['a'] }] }, 'a is both a service and a team'],
    [{ services: [{ id: 'a b', teams: ['t'] }] }, 'an id'],
    [{ services: [{ id: 'a', teams: [] }] }, 'expected array to have >=1'],
    [{ services: [], extra: 1 }, 'Unrecognized key'],
  ])('refuses %o', (value, message) => {
    const parsed = organisationSchema.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain(message);
  });

  it('is the local one unless ORGANISATION says otherwise, and a bad one stops the start', () => {
    expect(loadConfig({}).organisation).toBe(localOrganisation);
    expect(loadConfig({ ORGANISATION: JSON.stringify(organisation) }).organisation).toEqual(organisation);
    expect(() => loadConfig({ ORGANISATION: '{"services":[{"id":"a","teams":["a"]}]}' })).toThrow(ConfigError);
    expect(() => loadConfig({ ORGANISATION: 'not json' })).toThrow(/ORGANISATION: not valid JSON/);
  });

  it('matches the local tokens: every team or service they name is in it', () => {
    const known = new Set(localOrganisation.services.flatMap((s) => [s.id, ...s.teams]));
    for (const entry of Object.values(localTokens)) for (const team of entry.teams ?? []) expect(known).toContain(team);
    expect(localTokens['local-pgl']!.teams).toEqual(['safeguarding']);
  });
});

describe('teams on tokens', () => {
  it('reads a teams claim as an array or a space-separated string, ids only', () => {
    expect(teamsFrom(['north', 'safeguarding', 'north'])).toEqual(['north', 'safeguarding']);
    expect(teamsFrom('north south')).toEqual(['north', 'south']);
    expect(teamsFrom(['a name with spaces', 42, null, 'ok'])).toEqual(['ok']);
    expect(teamsFrom(undefined)).toEqual([]);
    expect(teamsFrom({ north: true })).toEqual([]);
  });

  it('takes teams from AUTH_TOKENS entries, and the claim name from AUTH_TEAMS_CLAIM', () => {
    const tokens = JSON.stringify({ 'token-123456': { person: 'tm-9', roles: ['team_manager'], teams: ['north'] } });
    expect(loadConfig({ AUTH_TOKENS: tokens }).tokens['token-123456']!.teams).toEqual(['north']);
    const bad = JSON.stringify({ 'token-123456': { person: 'tm-9', roles: ['team_manager'], teams: ['two words'] } });
    expect(() => loadConfig({ AUTH_TOKENS: bad })).toThrow(ConfigError);
    const jwtEnv = {
      AUTH_ISSUER: 'https://id.example.test',
      AUTH_AUDIENCE: 'deadlines',
      AUTH_JWKS_URL: 'https://id.example.test/jwks',
    };
    expect(loadConfig({ ...jwtEnv, AUTH_TEAMS_CLAIM: 'groups.teams' }).jwt?.teamsClaim).toBe('groups.teams');
    expect(loadConfig(jwtEnv).jwt?.teamsClaim).toBeUndefined();
    expect(() => loadConfig({ AUTH_TEAMS_CLAIM: 'teams' })).toThrow(/AUTH_TEAMS_CLAIM: set only with/);
  });
});

describe('process links', () => {
  it('maps a workflow id to its API resource and web page', () => {
    expect(processLink('ntk-NTK-1')).toEqual({ api: '/v1/need-to-know/NTK-1', page: '/need-to-know/NTK-1' });
    expect(processLink('missing-M-7')).toEqual({ api: '/v1/missing-episodes/M-7', page: '/missing-episodes/M-7' });
    expect(processLink('s47-A/B')).toEqual({ api: '/v1/s47-enquiries/A%2FB', page: '/s47-enquiries/A%2FB' });
  });

  it('gives nothing for an id of no process', () => {
    for (const id of ['', 'ntk', 'ntk-', '-NTK-1', 'nope-1', '__proto__-1', 'constructor-1']) {
      expect(processLink(id)).toBeUndefined();
    }
  });

  it('knows every process the API serves, by its own prefix and resource', () => {
    expect(new Map(processes.map((p) => [p.idPrefix, p.resource]))).toEqual(processResources);
  });
});

describe('who must act', () => {
  it('is the responsible roles, then the escalation profile’s roles as the deadline escalates', () => {
    // assessment-complete: on breach team_manager; pgl at + 5 WD; head_of_service at + 10 WD.
    expect(whoMustAct('assessment-complete', 0, false)).toEqual({
      responsible: ['social_worker', 'team_manager'],
      escalationLevel: 0,
      escalatedTo: [],
    });
    expect(whoMustAct('assessment-complete', 0, true).escalatedTo).toEqual([]);
    expect(whoMustAct('assessment-complete', 1, true).escalatedTo).toEqual(['pgl']);
    expect(whoMustAct('assessment-complete', 2, true).escalatedTo).toEqual(['pgl', 'head_of_service']);
    // X-CONF: on breach team_manager, pgl, cp_chair, qa_bstl.
    expect(whoMustAct('icpc-held', 0, true).escalatedTo).toEqual(['pgl']);
    expect(whoMustAct('no-such-rule', 2, true)).toEqual({ responsible: [], escalationLevel: 2, escalatedTo: [] });
  });
});

describe('CSV cells', () => {
  it('quote what must be quoted and never start with a formula', () => {
    expect(csvCell('plain-id')).toBe('plain-id');
    expect(csvCell(null)).toBe('');
    expect(csvCell(8.5)).toBe('8.5');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x', 1],
          [null, 'y,z'],
        ],
      ),
    ).toBe('a,b\r\nx,1\r\n,"y,z"\r\n');
  });
});
