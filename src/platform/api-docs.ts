/**
 * The API docs: the core routes' hand-written spec (core-openapi.yml) merged
 * with the openapi.yml of every running NApp into one OpenAPI 3 document at
 * `GET /api/lattice/v1/openapi.json`, and Swagger UI at `/docs/`, served from
 * the swagger-ui-dist package on disk (no CDN).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { NotFoundError } from '../errors/index.js';
import type { HttpResponse, RouteDefinition } from '../http/types.js';

export const OPENAPI_PATH = '/api/lattice/v1/openapi.json';
const CORE_SPEC = new URL('./core-openapi.yml', import.meta.url);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

type Json = Record<string, any>;

/** A NApp whose routes are mounted now: its id, mount prefix and spec file (none when it ships no openapi.yml). */
export interface DocumentedNApp {
  id: string;
  version: string;
  prefix: string;
  openapi?: string;
}

export interface ApiDocsDeps {
  version: string;
  /** The NApps running now (read per request: NApps come and go). */
  napps: () => DocumentedNApp[];
  /** Whether the Kytos GET forms of napps/.../enable|disable are mounted (auth.kytosGetNAppToggles). */
  kytosGetNAppToggles?: boolean;
}

const specCache = new Map<string, Json>();
function readSpec(file: string): Json {
  let doc = specCache.get(file);
  if (!doc) {
    doc = parse(readFileSync(file, 'utf8')) as Json;
    specCache.set(file, doc);
  }
  return structuredClone(doc);
}

/** Rewrites `#/components/<kind>/<name>` references of a NApp's spec to the renamed components. */
function renameRefs(value: unknown, rename: (kind: string, name: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => renameRefs(v, rename));
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    const m = k === '$ref' && typeof v === 'string' ? /^#\/components\/([^/]+)\/(.+)$/.exec(v) : null;
    out[k] = m ? `#/components/${m[1]}/${rename(m[1]!, m[2]!)}` : renameRefs(v, rename);
  }
  return out;
}

/**
 * The merged document: the core spec, then each NApp's paths under its prefix
 * (`/v1/greetings` of lattice/hello is `/api/lattice/hello/v1/greetings`),
 * tagged with its id, its components renamed `<username>.<name>.<Name>` so
 * that two NApps never clash.
 */
export function mergedOpenApi(deps: ApiDocsDeps): Json {
  const core = readSpec(fileURLToPath(CORE_SPEC));
  const doc: Json = {
    openapi: '3.0.3',
    info: {
      title: 'Lattice API',
      version: deps.version,
      description: `${core.info?.description ?? ''}\n\nNApps: each tag below other than core and lattice is one running NApp, from its openapi.yml.`,
    },
    tags: [...(core.tags ?? [])],
    paths: { ...core.paths },
    components: { ...core.components, securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, basicAuth: { type: 'http', scheme: 'basic' } } },
  };
  if (!deps.kytosGetNAppToggles) {
    for (const verb of ['enable', 'disable']) delete doc.paths[`/api/kytos/core/napps/{username}/{napp_name}/${verb}`]?.get;
  }
  for (const napp of deps.napps()) {
    if (!napp.openapi) continue;
    const prefixName = napp.id.replace('/', '.');
    const spec = renameRefs(readSpec(napp.openapi), (_kind, name) => `${prefixName}.${name}`) as Json;
    doc.tags.push({ name: napp.id, description: `${spec.info?.description ?? napp.id} (version ${napp.version})` });
    for (const [path, item] of Object.entries((spec.paths ?? {}) as Json)) {
      for (const method of METHODS) {
        if (item?.[method] && !item[method].tags) item[method].tags = [napp.id];
      }
      doc.paths[`${napp.prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`] = item;
    }
    for (const [kind, entries] of Object.entries((spec.components ?? {}) as Json)) {
      doc.components[kind] ??= {};
      for (const [name, value] of Object.entries(entries as Json)) doc.components[kind][`${prefixName}.${name}`] = value;
    }
  }
  return doc;
}

/** A route template as OpenAPI writes it: `{name:path}` is `{name}`, no trailing slash. */
export const openApiPath = (template: string): string => template.replace(/\{([A-Za-z_][A-Za-z0-9_]*):path\}/g, '{$1}').replace(/(.)\/+$/, '$1');

/**
 * Compares the HTTP server's route table with a document: the routes no
 * operation documents, and the operations no route serves (`GET /path`).
 */
export function compareRoutes(routes: readonly { method: string; path: string }[], doc: Json): { undocumented: string[]; unregistered: string[] } {
  const registered = new Set(routes.map((r) => `${r.method.toUpperCase()} ${openApiPath(r.path)}`));
  const documented = new Set<string>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Json)) {
    for (const method of METHODS) if (item?.[method]) documented.add(`${method.toUpperCase()} ${openApiPath(path)}`);
  }
  return {
    undocumented: [...registered].filter((r) => !documented.has(r)).sort(),
    unregistered: [...documented].filter((d) => !registered.has(d)).sort(),
  };
}

// ---- Swagger UI ----

const SWAGGER_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
/** The files of swagger-ui-dist that the page loads, and their types: nothing else on disk is reachable. */
const STATIC: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'oauth2-redirect.html': 'text/html; charset=utf-8',
  'oauth2-redirect.js': 'text/javascript; charset=utf-8',
  'favicon-16x16.png': 'image/png',
  'favicon-32x32.png': 'image/png',
};

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Lattice API</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="stylesheet" href="/docs/index.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js" charset="UTF-8"></script>
  <script src="/docs/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
  <script src="/docs/swagger-initializer.js" charset="UTF-8"></script>
</body>
</html>
`;

const INITIALIZER = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(OPENAPI_PATH)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
};
`;

const fileCache = new Map<string, Buffer>();
function staticFile(name: string): HttpResponse {
  if (name === '' || name === 'index.html') return { status: 200, raw: INDEX_HTML, contentType: 'text/html; charset=utf-8' };
  if (name === 'swagger-initializer.js') return { status: 200, raw: INITIALIZER, contentType: 'text/javascript; charset=utf-8' };
  const type = Object.hasOwn(STATIC, name) ? STATIC[name] : undefined;
  if (!type) throw new NotFoundError(`no such file: /docs/${name}`);
  let bytes = fileCache.get(name);
  if (!bytes) {
    bytes = readFileSync(join(SWAGGER_DIR, name));
    fileCache.set(name, bytes);
  }
  return { status: 200, raw: bytes, contentType: type, headers: { 'Cache-Control': 'public, max-age=3600' } };
}

/** `GET /api/lattice/v1/openapi.json`, `GET /docs` and `GET /docs/{file}`. */
export function apiDocsRoutes(deps: ApiDocsDeps): RouteDefinition[] {
  return [
    { method: 'GET', access: 'read', path: OPENAPI_PATH, owner: 'core', handler: () => ({ status: 200, body: mergedOpenApi(deps) }) },
    { method: 'GET', access: 'read', path: '/docs', owner: 'core', handler: () => staticFile('') },
    { method: 'GET', access: 'read', path: '/docs/{file}', owner: 'core', handler: (req) => staticFile(req.params.file!) },
  ];
}
