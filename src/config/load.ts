import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors/index.js';
import { CONFIG_SCHEMA, SECRET_KEYS, type Leaf, type Section } from './schema.js';
import type { Config } from './types.js';

const isLeaf = (node: Leaf | Section): node is Leaf =>
  typeof (node as Leaf).doc === 'string' && 'default' in node && typeof (node as Leaf).type === 'string';

function walk(section: Section, path: string[], visit: (leaf: Leaf, path: string[]) => void): void {
  for (const [key, node] of Object.entries(section)) {
    if (isLeaf(node)) visit(node, [...path, key]);
    else walk(node, [...path, key], visit);
  }
}

/** Every key's default, as a plain object. */
export function defaults(): Config {
  const out: Record<string, Record<string, unknown>> = {};
  walk(CONFIG_SCHEMA, [], (leaf, [section, key]) => {
    (out[section!] ??= {})[key!] = structuredClone(leaf.default);
  });
  return out as unknown as Config;
}

/** `config/default.json`'s content: every key with its default and a `// key` doc line. */
export function documentedDefaults(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  walk(CONFIG_SCHEMA, [], (leaf, [section, key]) => {
    const s = (out[section!] ??= {});
    const env = leaf.env ? ` (env ${leaf.env})` : '';
    const choices = leaf.enum ? ` [${leaf.enum.join(' | ')}]` : '';
    s[`// ${key}`] = `${leaf.doc}${choices}${env}`;
    s[key!] = leaf.default;
  });
  return out;
}

function check(leaf: Leaf, value: unknown, where: string): unknown {
  const bad = (what: string) => new ConfigError(`config ${where}: expected ${what}, got ${JSON.stringify(value)}`, { key: where });
  switch (leaf.type) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw bad('an integer');
      if (leaf.minimum !== undefined && value < leaf.minimum) throw bad(`an integer >= ${leaf.minimum}`);
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad('a number');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw bad('true or false');
      return value;
    case 'string':
      if (typeof value !== 'string') throw bad('a string');
      if (leaf.enum && !leaf.enum.includes(value)) throw bad(`one of ${leaf.enum.join(', ')}`);
      return value;
    case 'string[]':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw bad('a list of strings');
      return value;
    case 'object':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('an object');
      return value;
  }
}

function fromEnv(leaf: Leaf, raw: string, name: string): unknown {
  switch (leaf.type) {
    case 'integer':
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new ConfigError(`${name}: expected a number, got ${JSON.stringify(raw)}`, { env: name });
      return n;
    }
    case 'boolean':
      if (!['true', 'false', '1', '0'].includes(raw)) throw new ConfigError(`${name}: expected true or false, got ${JSON.stringify(raw)}`, { env: name });
      return raw === 'true' || raw === '1';
    case 'string[]':
      return raw.split(',').map((s) => s.trim()).filter(Boolean);
    default:
      return raw;
  }
}

export interface LoadOptions {
  /** A JSON file merged over the defaults (env LATTICE_CONFIG). */
  file?: string;
  /** An object merged over the file (tests, the SDK test kit). */
  overrides?: Record<string, Record<string, unknown>>;
  env?: NodeJS.ProcessEnv;
}

/**
 * Defaults, then the file, then `overrides`, then environment variables.
 * Unknown keys and wrong types are refused with a ConfigError naming the key.
 */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const config = defaults() as unknown as Record<string, Record<string, unknown>>;
  const merge = (layer: unknown, origin: string) => {
    if (typeof layer !== 'object' || layer === null || Array.isArray(layer)) throw new ConfigError(`${origin}: expected a JSON object`);
    for (const [section, values] of Object.entries(layer)) {
      if (section.startsWith('//')) continue;
      const schema = (CONFIG_SCHEMA as Section)[section];
      if (!schema || isLeaf(schema)) throw new ConfigError(`${origin}: unknown config section "${section}"`, { key: section });
      if (typeof values !== 'object' || values === null) throw new ConfigError(`${origin}: section "${section}" must be an object`);
      for (const [key, value] of Object.entries(values)) {
        if (key.startsWith('//')) continue;
        const leaf = (schema as Section)[key];
        if (!leaf || !isLeaf(leaf)) throw new ConfigError(`${origin}: unknown config key "${section}.${key}"`, { key: `${section}.${key}` });
        config[section]![key] = check(leaf, value, `${section}.${key}`);
      }
    }
  };
  const file = options.file ?? env.LATTICE_CONFIG;
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`, { file });
    }
    merge(parsed, file);
  }
  if (options.overrides) merge(options.overrides, 'overrides');
  walk(CONFIG_SCHEMA, [], (leaf, [section, key]) => {
    const raw = leaf.env ? env[leaf.env] : undefined;
    if (raw !== undefined) config[section!]![key!] = check(leaf, fromEnv(leaf, raw, leaf.env!), `${section}.${key} (${leaf.env})`);
  });
  return config as unknown as Config;
}

/** The config as the config route shows it: secrets left out. */
export function publicConfig(config: Config): Record<string, Record<string, unknown>> {
  const copy = structuredClone(config) as unknown as Record<string, Record<string, unknown>>;
  for (const key of SECRET_KEYS) {
    const [section, name] = key.split('.');
    delete copy[section!]![name!];
  }
  // NApp settings named like secrets (of_lldp's LLDP_HMAC_KEY) are left out too.
  const perNApp = copy.napps?.settings as Record<string, Record<string, unknown>> | undefined;
  for (const settings of Object.values(perNApp ?? {})) {
    if (settings === null || typeof settings !== 'object') continue;
    for (const k of Object.keys(settings)) if (SECRET_NAPP_SETTING.test(k)) delete settings[k];
  }
  return copy;
}

/** NApp setting names whose values the config route never shows. */
export const SECRET_NAPP_SETTING = /(_KEY|_SECRET|_PASSWORD|_TOKEN)$/;
