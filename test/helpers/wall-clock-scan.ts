/**
 * Finds code that reads the wall clock or Node's timers directly instead of an
 * injected Clock: `Date.now()`, `new Date()`, `performance.now()`,
 * `process.hrtime`, `setTimeout(`/`setInterval(` (global), and imports of
 * `timers`. Comments are ignored, and so is the text of string literals; a
 * method *declaration* named setTimeout (an interface, a Clock implementation)
 * is not a call.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface WallClockRead {
  line: number;
  text: string;
}

const KEYWORDS_BEFORE_REGEX = new Set(['return', 'typeof', 'case', 'in', 'of', 'void', 'delete', 'new', 'throw', 'yield', 'await', 'else', 'do', 'instanceof']);

/**
 * Blanks comments (and, with `blankStrings`, the inside of string, template and
 * regex literals) with spaces, keeping every newline so that lines still match.
 */
export function stripComments(code: string, blankStrings: boolean): string {
  const out: string[] = [];
  // For each open `${` of a template, the brace depth inside it.
  const templates: number[] = [];
  let i = 0;
  let last = ''; // last significant code token character (or word) seen
  const blank = (ch: string) => (ch === '\n' ? '\n' : ' ');
  const keep = (ch: string) => (blankStrings ? blank(ch) : ch);

  const template = (): void => {
    // at the character after a backtick or a closing `}` of `${...}`
    while (i < code.length) {
      const ch = code[i]!;
      if (ch === '\\') {
        out.push(keep(ch), keep(code[i + 1] ?? ''));
        i += 2;
      } else if (ch === '`') {
        out.push(ch);
        i++;
        last = '`';
        return;
      } else if (ch === '$' && code[i + 1] === '{') {
        out.push('${');
        i += 2;
        templates.push(0);
        last = '{';
        return;
      } else {
        out.push(keep(ch));
        i++;
      }
    }
  };

  while (i < code.length) {
    const ch = code[i]!;
    const next = code[i + 1];
    if (ch === '/' && next === '/') {
      while (i < code.length && code[i] !== '\n') out.push(blank(code[i++]!));
    } else if (ch === '/' && next === '*') {
      const end = code.indexOf('*/', i + 2);
      const stop = end === -1 ? code.length : end + 2;
      for (; i < stop; i++) out.push(blank(code[i]!));
    } else if (ch === '"' || ch === "'") {
      out.push(ch);
      i++;
      while (i < code.length && code[i] !== ch && code[i] !== '\n') {
        if (code[i] === '\\') out.push(keep(code[i++]!));
        if (i < code.length) out.push(keep(code[i++]!));
      }
      if (i < code.length) out.push(code[i++]!);
      last = ch;
    } else if (ch === '`') {
      out.push(ch);
      i++;
      template();
    } else if (ch === '/' && (last === '' || /[(,=:[!&|?{};+\-*%<>~^]$/.test(last) || KEYWORDS_BEFORE_REGEX.has(last))) {
      // A regex literal.
      out.push(ch);
      i++;
      let inClass = false;
      while (i < code.length && code[i] !== '\n') {
        const c = code[i]!;
        if (c === '\\') {
          out.push(keep(c), keep(code[i + 1] ?? ''));
          i += 2;
          continue;
        }
        if (c === '[') inClass = true;
        else if (c === ']') inClass = false;
        else if (c === '/' && !inClass) break;
        out.push(keep(c));
        i++;
      }
      if (i < code.length && code[i] === '/') out.push(code[i++]!);
      last = 'regex';
    } else if (ch === '}' && templates.length > 0 && templates[templates.length - 1] === 0) {
      templates.pop();
      out.push(ch);
      i++;
      template();
    } else {
      if (templates.length > 0) {
        if (ch === '{') templates[templates.length - 1]!++;
        else if (ch === '}') templates[templates.length - 1]!--;
      }
      if (/[A-Za-z_$0-9]/.test(ch)) {
        let j = i;
        while (j < code.length && /[A-Za-z_$0-9]/.test(code[j]!)) j++;
        last = code.slice(i, j);
        out.push(last);
        i = j;
        continue;
      }
      if (!/\s/.test(ch)) last = ch;
      out.push(ch);
      i++;
    }
  }
  return out.join('');
}

const READS: RegExp[] = [
  /\bDate\s*\.\s*now\s*\(/g,
  /\bnew\s+Date\s*(?:\(\s*\)|(?![\s(]))/g,
  /\bperformance\s*\.\s*now\s*\(/g,
  /\bprocess\s*\.\s*hrtime\b/g,
  /\b(?:globalThis|global|window)\s*\.\s*(?:setTimeout|setInterval)\b/g,
];
const TIMER_CALL = /(?<![\w$.])(?:setTimeout|setInterval)\s*\(/g;
/** `setImmediate(` (global): a turn of the event loop taken outside `ctx.timers.yield()`. */
const TURN_CALL = /(?<![\w$.])(?:(?:globalThis|global|window)\s*\.\s*)?setImmediate\s*\(/g;
const TIMERS_IMPORT = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*['"](?:node:)?timers(?:\/promises)?['"]/g;

/** The index just after the parenthesis that closes the one at `open`. */
function closeParen(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '(') depth++;
    else if (code[i] === ')' && --depth === 0) return i + 1;
  }
  return code.length;
}

/** `setTimeout(fn: ..., ms: number): TimerHandle;` or `setTimeout(fn, ms) {` at the start of a line: a method, not a call. */
function isMethodDeclaration(code: string, at: number, open: number): boolean {
  const lineStart = code.lastIndexOf('\n', at) + 1;
  if (!/^\s*(?:(?:public|private|protected|static|readonly|async|override)\s+)*$/.test(code.slice(lineStart, at))) return false;
  const after = code.slice(closeParen(code, open)).match(/^\s*(\S)/);
  return after !== null && (after[1] === ':' || after[1] === '{');
}

/**
 * Every direct read of the wall clock or Node's timers in `code` (a TypeScript or JavaScript source);
 * with `turns`, also every `setImmediate(` (NApps take their turns through `ctx.timers.yield()`).
 */
export function wallClockReads(code: string, options: { turns?: boolean } = {}): WallClockRead[] {
  const bare = stripComments(code, true);
  const withStrings = stripComments(code, false);
  const found: number[] = [];
  for (const re of READS) for (const m of bare.matchAll(re)) found.push(m.index);
  for (const m of bare.matchAll(TIMER_CALL)) {
    if (!isMethodDeclaration(bare, m.index, m.index + m[0].length - 1)) found.push(m.index);
  }
  for (const m of withStrings.matchAll(TIMERS_IMPORT)) found.push(m.index);
  if (options.turns) for (const m of bare.matchAll(TURN_CALL)) found.push(m.index);
  const lines = code.split('\n');
  return found
    .sort((a, b) => a - b)
    .map((index) => {
      const line = bare.slice(0, index).split('\n').length;
      return { line, text: lines[line - 1]!.trim() };
    });
}

/** Source files under `dirs` (relative to `root`), as paths relative to `root`. */
export function sourceFiles(root: string, dirs: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(?:[cm]?ts|[cm]?js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(relative(root, path));
    }
  };
  for (const d of dirs) walk(join(root, d));
  return files.sort();
}

/** `file:line: text` for every read in the files, except the allowed ones. */
export function scanForWallClock(root: string, dirs: string[], allowed: string[], options: { turns?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(root, dirs)) {
    if (allowed.includes(file)) continue;
    for (const r of wallClockReads(readFileSync(join(root, file), 'utf8'), options)) out.push(`${file}:${r.line}: ${r.text}`);
  }
  return out;
}
