/** Where the configuration puts the evidence store: PostgreSQL at DATABASE_URL, else PGlite in EVIDENCE_DIR. */
import type { Config } from '../config';
import type { EvidenceStoreLocation } from './store';

export const evidenceLocation = ({ evidence }: Pick<Config, 'evidence'>): EvidenceStoreLocation =>
  evidence.databaseUrl ? { databaseUrl: evidence.databaseUrl } : { pgliteDir: evidence.pgliteDir };

/** The location as a log line may show it: never a password. */
export function describeLocation(location: EvidenceStoreLocation): string {
  if ('pglite' in location) return 'PGlite in memory';
  if ('pgliteDir' in location) return `PGlite in ${location.pgliteDir}`;
  const url = new URL(location.databaseUrl);
  const socket = url.searchParams.get('host');
  return `PostgreSQL at ${socket ?? url.host}${url.pathname}`;
}
