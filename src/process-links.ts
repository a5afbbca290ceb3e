/**
 * Where a process is read, from its workflow id (`<prefix>-<business id>`): the API resource and
 * the web page. Used by the worktray, the web pages and the deadline emails. Pure; mirrors the
 * `idPrefix` and `resource` of each process's routes (src/processes/<process>/routes.ts), which a
 * test checks.
 */

export interface ProcessLink {
  /** `/v1/<resource>/<business id>` */
  api: string;
  /** `/<resource>/<business id>`, where the web page for the process lives. */
  page: string;
}

/** Workflow id prefix → API resource, one per process. */
export const processResources: ReadonlyMap<string, string> = new Map([
  ['ntk', 'need-to-know'],
  ['s47', 's47-enquiries'],
  ['cpp', 'child-protection-plans'],
  ['lac', 'looked-after-children'],
  ['kev', 'key-events'],
  ['missing', 'missing-episodes'],
  ['incident', 'serious-incidents'],
]);

/** The links of a workflow id, or undefined for an id no process of this service has. */
export function processLink(workflowId: string): ProcessLink | undefined {
  const dash = workflowId.indexOf('-');
  if (dash <= 0 || dash === workflowId.length - 1) return undefined;
  const resource = processResources.get(workflowId.slice(0, dash));
  if (resource === undefined) return undefined;
  const businessId = encodeURIComponent(workflowId.slice(dash + 1));
  return { api: `/v1/${resource}/${businessId}`, page: `/${resource}/${businessId}` };
}
