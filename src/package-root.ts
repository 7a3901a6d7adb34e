/**
 * Where Lattice's own files are, whether it runs from its sources (`src/main.ts`
 * under the dev loader) or compiled (`dist/src/main.js`). Paths the user gives
 * (config file, data dir, a napps dir) never go through here: they resolve from
 * the working directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = 'lattice';

/** The first folder at or above `from` (a module URL or a path) holding a package.json named "lattice". */
export function packageRoot(from: string | URL): string {
  const start = from instanceof URL || from.startsWith('file:') ? dirname(fileURLToPath(from)) : from;
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        if ((JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === NAME) return dir;
      } catch {
        // not ours: keep walking up
      }
    }
    if (dirname(dir) === dir) throw new Error(`no package.json named "${NAME}" at or above ${start}`);
  }
}

/** True when `moduleUrl` is a TypeScript source (the dev loader runs), false for compiled JavaScript. */
export const fromSources = (moduleUrl: string): boolean => /\.[cm]?ts$/.test(new URL(moduleUrl).pathname);

/**
 * The built-in NApps folder: `<root>/napps` from sources, `<root>/dist/napps`
 * when compiled (the build keeps dist/src, dist/actors, dist/napps side by side).
 */
export const builtInNAppsDir = (moduleUrl: string): string =>
  join(packageRoot(moduleUrl), fromSources(moduleUrl) ? '' : 'dist', 'napps');
