/**
 * What the service needs of a Temporal namespace, set up idempotently on any server it uses: the
 * dev server of `npm start`, the full server of a deployment, and the suite's.
 */
import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { searchAttributeDefinitions } from './search-attributes';

const { IndexedValueType } = temporal.api.enums.v1;
const indexedTypes = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  Int: IndexedValueType.INDEXED_VALUE_TYPE_INT,
};

/** The service's search attributes must exist on any server it uses (idempotent). */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.entries(searchAttributeDefinitions).filter(
    ([name]) => !(name in (existing.customAttributes ?? {})),
  );
  if (missing.length > 0) await addSearchAttributes(connection, namespace, missing);
}

/** Adds them unasked (the time-skipping test server cannot list them, and starts with none). */
export async function addSearchAttributes(
  connection: Connection,
  namespace: string,
  attributes = Object.entries(searchAttributeDefinitions),
): Promise<void> {
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(attributes.map(([name, type]) => [name, indexedTypes[type]])),
  });
}

/**
 * Registers a namespace on a full server (the dev server makes `default` itself) and waits until
 * the frontend serves it: a new namespace reaches the frontend's cache a moment after it is stored.
 */
export async function registerNamespace(connection: Connection, namespace: string, retentionDays: number) {
  await connection.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`),
  });
  for (const until = Date.now() + 30_000; ;) {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      await connection.operatorService.listSearchAttributes({ namespace });
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
