import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

describe('the evidence store configuration', () => {
  it('is PGlite in DATA_DIR/evidence by default, or in EVIDENCE_DIR', () => {
    expect(loadConfig({}).evidence).toEqual({ databaseUrl: undefined, pgliteDir: path.join('.data', 'evidence') });
    expect(loadConfig({ DATA_DIR: '/srv/deadlines' }).evidence.pgliteDir).toBe('/srv/deadlines/evidence');
    expect(loadConfig({ EVIDENCE_DIR: '/srv/evidence' }).evidence.pgliteDir).toBe('/srv/evidence');
  });

  it('is the PostgreSQL at DATABASE_URL when set', () => {
    for (const url of [
      'postgresql://deadlines:secret@db.internal:5432/evidence',
      'postgres://db.internal/evidence?sslmode=require',
      'postgresql://postgres@localhost/postgres?host=%2Fvar%2Frun%2Fpostgresql',
    ]) {
      expect(loadConfig({ DATABASE_URL: url }).evidence.databaseUrl).toBe(url);
    }
  });

  it('refuses a DATABASE_URL that is not a PostgreSQL URL, without echoing it', () => {
    for (const url of ['mysql://root:hunter2@db/evidence', 'db.internal:5432', '']) {
      expect(() => loadConfig({ DATABASE_URL: url }), url).toThrow(ConfigError);
      expect(() => loadConfig({ DATABASE_URL: url }), url).toThrow(/DATABASE_URL/);
      expect(() => loadConfig({ DATABASE_URL: url }), url).not.toThrow(/hunter2/);
    }
  });
});
