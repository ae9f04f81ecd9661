/** Final touches on the generated OpenAPI document: bodies that need no field are optional, and unused schemas go. */
import { operationKey, type OptionalBodies } from './json-body.js';

type Schema = Record<string, unknown>;
interface Body { required?: boolean }
interface Document {
  paths?: Record<string, Record<string, { requestBody?: Body } | undefined> | undefined>;
  components?: { schemas?: Record<string, Schema> };
}

const refsIn = (value: unknown): string[] => [...JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);

/** The schemas reachable from the paths (and from each other). */
function reachableSchemas(doc: Document): Set<string> {
  const schemas = doc.components?.schemas ?? {};
  const seen = new Set<string>();
  const queue = refsIn(doc.paths);
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name) || schemas[name] === undefined) continue;
    seen.add(name);
    queue.push(...refsIn(schemas[name]));
  }
  return seen;
}

/** A body the server reads as `{}` when it is left out (its schema accepts `{}`) is not required. */
function markOptionalBodies(doc: Document, optional: OptionalBodies): void {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item ?? {})) {
      if (op?.requestBody !== undefined && optional.has(operationKey(method, path))) op.requestBody.required = false;
    }
  }
}

export function finishDocument<T>(document: T, optional: OptionalBodies): T {
  const doc = document as unknown as Document;
  markOptionalBodies(doc, optional);
  const keep = reachableSchemas(doc);
  const schemas = doc.components?.schemas;
  if (schemas !== undefined) for (const name of Object.keys(schemas)) if (!keep.has(name)) delete schemas[name];
  return document;
}
