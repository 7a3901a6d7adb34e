import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Casts and suppressions that hide a contract mismatch; string dispatch on bus event names. */
const FORBIDDEN: { rule: string; re: RegExp }[] = [
  { rule: 'as any', re: /\bas any\b/ },
  { rule: 'as never', re: /\bas never\b/ },
  { rule: 'as unknown as', re: /\bas unknown as\b/ },
  { rule: '@ts-ignore', re: /@ts-ignore/ },
  { rule: '@ts-expect-error', re: /@ts-expect-error/ },
  { rule: 'string dispatch on an event name', re: /(name|type)\s*[!=]==?\s*['"`][\w-]+\/[\w.-]+['"`]/ },
  { rule: 'the untyped bus.event message', re: /['"]bus\.event['"]/ },
];

/** Violations in one file's text: `rule` and line number. */
export function violations(text: string): { rule: string; line: number }[] {
  const out: { rule: string; line: number }[] = [];
  text.split('\n').forEach((line, i) => {
    for (const f of FORBIDDEN) if (f.re.test(line)) out.push({ rule: f.rule, line: i + 1 });
  });
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'test' || name === 'tests' ? [] : sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('NApp code rules', () => {
  it('should find each forbidden form in a fixture (the check can fail)', () => {
    const fixture = [
      'const a = x as any;',
      'const b = y as never;',
      'const c = z as unknown as T;',
      '// @ts-ignore',
      '// @ts-expect-error',
      "if (name === 'kytos/topology.link_up') {}",
      "on: { 'bus.event': {} }",
    ].join('\n');
    expect(violations(fixture).map((v) => v.rule)).to.deep.equal(FORBIDDEN.map((f) => f.rule));
  });

  it('should find none in napps/** outside tests', () => {
    const found = sources(join(ROOT, 'napps')).flatMap((file) =>
      violations(readFileSync(file, 'utf8')).map((v) => `${relative(ROOT, file)}:${v.line}: ${v.rule}`),
    );
    expect(found).to.deep.equal([]);
  });
});
