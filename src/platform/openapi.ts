import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

type Doc = {
  paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: object }> } }>>;
  components?: object;
};

/**
 * Reads a NApp's `openapi.yml` once and gives the JSON body schema of each
 * `METHOD path` it declares (paths relative to the NApp's prefix, as in Kytos
 * specs: "/v3/switches/{dpid}"). `$ref`s into `#/components` keep working: the
 * components travel with each schema.
 */
export function requestSchemas(file: string): Map<string, object> {
  const doc = parse(readFileSync(file, 'utf8')) as Doc;
  const out = new Map<string, object>();
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(ops ?? {})) {
      const schema = op?.requestBody?.content?.['application/json']?.schema;
      if (!schema) continue;
      out.set(schemaKey(method, path), { ...schema, ...(doc.components ? { components: doc.components } : {}) });
    }
  }
  return out;
}

/** "POST v3/switches/{dpid}" for any spelling of the path (leading/trailing slash). */
export function schemaKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/^\/+/, '').replace(/\/+$/, '')}`;
}
