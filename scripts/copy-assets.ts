/**
 * Part of `npm run build`: copies what tsc does not emit into dist/, beside the
 * compiled modules that read it at run time: NApps' `openapi.yml` and every
 * `manifest.json` (the NApp loader reads it from disk; tsc emits only the JSON a
 * module imports). Prints what it copied.
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { packageRoot } from '../src/package-root.js';

const ROOT = packageRoot(import.meta.url);
const TREES = ['src', 'actors', 'napps'];
const ASSET = /\.(ya?ml|json)$/;

let copied = 0;
const walk = (dir: string): void => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.isFile() && ASSET.test(entry.name)) {
      const to = join(ROOT, 'dist', relative(ROOT, path));
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(path, to);
      copied++;
    }
  }
};
for (const tree of TREES) walk(join(ROOT, tree));
process.stdout.write(`copy-assets: ${copied} file(s) into dist/\n`);
