import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtInNAppsDir, fromSources, packageRoot } from '../../../src/package-root.js';

describe('Package root', () => {
  const root = mkdtempSync(join(tmpdir(), 'lattice-root-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'lattice', version: '9.9.9' }));
  // A package.json of another name on the way up (e.g. dist/ holding one) is walked past.
  mkdirSync(join(root, 'dist', 'src'), { recursive: true });
  writeFileSync(join(root, 'dist', 'package.json'), JSON.stringify({ name: 'something-else' }));
  mkdirSync(join(root, 'src'), { recursive: true });

  it('should find the folder of the package.json named "lattice", from src/ and from dist/src/', () => {
    expect(packageRoot(pathToFileURL(join(root, 'src', 'main.ts')).href)).to.equal(root);
    expect(packageRoot(pathToFileURL(join(root, 'dist', 'src', 'main.js')).href)).to.equal(root);
    expect(packageRoot(join(root, 'dist', 'src'))).to.equal(root);
  });

  it('should throw when there is none above', () => {
    const nowhere = mkdtempSync(join(tmpdir(), 'lattice-noroot-'));
    expect(() => packageRoot(nowhere)).to.throw(/no package.json named "lattice"/);
  });

  it('should tell sources from compiled code, and give the matching built-in NApps folder', () => {
    const src = pathToFileURL(join(root, 'src', 'main.ts')).href;
    const dist = pathToFileURL(join(root, 'dist', 'src', 'main.js')).href;
    expect(fromSources(src)).to.equal(true);
    expect(fromSources(dist)).to.equal(false);
    expect(builtInNAppsDir(src)).to.equal(join(root, 'napps'));
    expect(builtInNAppsDir(dist)).to.equal(join(root, 'dist', 'napps'));
  });
});
