/**
 * Part of `npm run build`: bundles the web UI (ui/, cytoscape included) with
 * esbuild into dist/ui/, where the compiled controller serves it from
 * (`npm start`). Under `npm run dev` and the tests the controller bundles it in
 * memory instead (src/platform/ui.ts). Prints what it wrote.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildUi } from '../src/platform/ui.js';
import { packageRoot } from '../src/package-root.js';

const root = packageRoot(import.meta.url);
const out = join(root, 'dist', 'ui');
mkdirSync(out, { recursive: true });
const files = await buildUi(root);
for (const [name, bytes] of files) writeFileSync(join(out, name), bytes);
process.stdout.write(`build-ui: ${[...files].map(([n, b]) => `${n} (${b.length} bytes)`).join(', ')} into dist/ui/\n`);
