/**
 * Debian's Chromium driven by playwright-core (no browser download): where it
 * is, launching it headless (`--no-sandbox` as root), axe-core injected into a
 * page, and screenshots under test/artifacts/ (paths printed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { packageRoot } from '../../../src/package-root.js';

export const ARTIFACTS = join(packageRoot(import.meta.url), 'test', 'artifacts');

/** `CHROMIUM_PATH`, else `chromium` on PATH, else /usr/bin/chromium; undefined when none exists. */
export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined;
  try {
    const found = execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
    if (found) return found;
  } catch {
    // not on PATH
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/** Skips the suite when Chromium is missing; with CI=true that is a failure instead. */
export function skipWithoutChromium(context: Mocha.Context): string | undefined {
  const path = chromiumPath();
  if (path) return path;
  if (process.env.CI === 'true') throw new Error('chromium not found (install it with npm run setup): the browser tests cannot run');
  console.log('    (skipped: chromium not installed; npm run setup installs it; CI=true makes this a failure)');
  context.skip();
}

export async function launch(executablePath: string): Promise<Browser> {
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath, headless: true, args });
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2 A/AA rules and best practices). */
export async function seriousViolations(page: Page): Promise<{ id: string; impact: string | null; help: string; targets: string[] }[]> {
  // Through the DevTools protocol, not a <script> tag: the page's Content-Security-Policy allows its own script only.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = (await page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return r.violations;
  })) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `ui-${name}.png`);
  await page.screenshot({ path });
  console.log(`      screenshot: ${path}`);
  return path;
}
