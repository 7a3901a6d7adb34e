/**
 * The web UI: `/ui/` serves a few static files (index.html, app.js, app.css)
 * and `/` redirects there. Compiled (`npm start`), they are read from
 * `dist/ui/`, written by `npm run build` (scripts/build-ui.ts). From the sources
 * (`npm run dev`, the tests) they are bundled in memory by esbuild on the first
 * request, so they always match the sources. No CDN: cytoscape is bundled.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError } from '../errors/index.js';
import type { HttpResponse, RouteDefinition } from '../http/types.js';
import { fromSources, packageRoot } from '../package-root.js';

export const UI_PREFIX = '/ui';
/** The route templates of the UI's static files, open without a token (main.ts exempts them). */
export const UI_OPEN_PATHS: readonly string[] = ['/', UI_PREFIX, `${UI_PREFIX}/{file}`];

/** The files the UI is made of, and their types: nothing else is reachable. */
export const UI_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

export type UiFiles = Map<string, Buffer>;

/**
 * Bundles the UI from `ui/` under `root` (esbuild, a devDependency: only the
 * build script and the sources ever call this, never the compiled controller).
 */
export async function buildUi(root: string): Promise<UiFiles> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(root, 'ui', 'src', 'main.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    write: false,
    outfile: 'app.js',
    logLevel: 'silent',
    legalComments: 'none',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  if (!js) throw new Error('esbuild produced no app.js');
  return new Map([
    ['index.html', readFileSync(join(root, 'ui', 'index.html'))],
    ['app.css', readFileSync(join(root, 'ui', 'app.css'))],
    ['app.js', Buffer.from(js.contents)],
  ]);
}

/** Where the files come from: built in memory once (sources), or read once from dist/ui (compiled). */
export function uiSource(moduleUrl: string = import.meta.url): () => Promise<UiFiles> {
  const root = packageRoot(moduleUrl);
  let files: Promise<UiFiles> | undefined;
  return () => {
    files ??= fromSources(moduleUrl) ? buildUi(root) : readBuilt(join(root, 'dist', 'ui'));
    files.catch(() => (files = undefined));
    return files;
  };
}

async function readBuilt(dir: string): Promise<UiFiles> {
  const out: UiFiles = new Map();
  for (const name of Object.keys(UI_FILES)) {
    const path = join(dir, name);
    if (!existsSync(path)) throw new NotFoundError(`the web UI is not built (${path} missing): run npm run build`);
    out.set(name, readFileSync(path));
  }
  return out;
}

/**
 * The page runs only its own script and style and talks only to this origin
 * (REST and the events WebSocket): an injected script could not run nor send
 * the token elsewhere. Inline style is allowed: Cytoscape.js adds a <style> element.
 */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const HEADERS = { 'Cache-Control': 'no-cache', 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' };

/** `GET /` (redirect), `GET /ui` and `GET /ui/{file}`: reads, exempt from tokens (the files hold no data). */
export function uiRoutes(files: () => Promise<UiFiles>): RouteDefinition[] {
  const serve = async (name: string): Promise<HttpResponse> => {
    const type = Object.hasOwn(UI_FILES, name) ? UI_FILES[name] : undefined;
    if (!type) throw new NotFoundError(`no such file: ${UI_PREFIX}/${name}`);
    const bytes = (await files()).get(name)!;
    return { status: 200, raw: bytes, contentType: type, headers: HEADERS };
  };
  return [
    { method: 'GET', access: 'read', path: UI_OPEN_PATHS[0]!, owner: 'core', body: 'none', handler: () => ({ status: 302, raw: '', headers: { Location: `${UI_PREFIX}/` } }) },
    { method: 'GET', access: 'read', path: UI_OPEN_PATHS[1]!, owner: 'core', body: 'none', handler: () => serve('index.html') },
    { method: 'GET', access: 'read', path: UI_OPEN_PATHS[2]!, owner: 'core', body: 'none', handler: (req) => serve(req.params.file!) },
  ];
}
