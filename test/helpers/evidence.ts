/** An evidence store for one test file: PGlite in memory, migrated, closed in the file's afterAll. */
import { openEvidenceStore, type EvidenceStore } from '../../src/evidence/store';

export const testEvidenceStore = (): Promise<EvidenceStore> => openEvidenceStore({ pglite: 'memory' });
