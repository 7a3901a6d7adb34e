import { _, str, type Ajv, type Code, type CodeKeywordDefinition, type KeywordCxt, type Name } from 'ajv';

/**
 * JSON Schema that knows bigint. Request decoders give integers beyond 2^53 - 1
 * as bigints, which ajv's `type: integer` (and `number`) refuse and its numeric
 * keywords skip. Schemas are rewritten once, at compile time: a `type` that
 * names `integer` or `number` becomes `x-lattice-type`, the same check in
 * generated code that also takes a bigint; numeric bounds are copied into
 * keywords that apply to bigints only (ajv's own still apply to numbers).
 * Request-time cost: the same inline `typeof` tests ajv generates.
 */
export const TYPE_KEYWORD = 'x-lattice-type';

const JSON_TYPES = new Set(['integer', 'number', 'string', 'boolean', 'null', 'array', 'object']);

function typeTest(type: string, data: Name): Code {
  switch (type) {
    case 'integer':
      return _`(typeof ${data} == "number" ? Number.isInteger(${data}) : typeof ${data} == "bigint")`;
    case 'number':
      return _`(typeof ${data} == "number" ? isFinite(${data}) : typeof ${data} == "bigint")`;
    case 'string':
    case 'boolean':
      return _`typeof ${data} == ${type}`;
    case 'null':
      return _`${data} === null`;
    case 'array':
      return _`Array.isArray(${data})`;
    default:
      return _`(${data} && typeof ${data} == "object" && !Array.isArray(${data}))`;
  }
}

const typeKeyword: CodeKeywordDefinition = {
  keyword: TYPE_KEYWORD,
  schemaType: 'array',
  error: { message: ({ schema }) => str`must be ${(schema as string[]).join(',')}` },
  code(cxt: KeywordCxt) {
    const types = cxt.schema as string[];
    const test = types.map((t) => typeTest(t, cxt.data)).reduce((a, b) => _`${a} || ${b}`);
    cxt.fail(_`!(${test})`);
  },
};

/** ajv's numeric keywords, each with the comparison that must hold. */
const BOUNDS = { minimum: '>=', maximum: '<=', exclusiveMinimum: '>', exclusiveMaximum: '<' } as const;
type Bound = keyof typeof BOUNDS;
const boundKeyword = (bound: Bound): string => `x-lattice-bigint-${bound}`;

function bigintBound(bound: Bound): CodeKeywordDefinition {
  const op = BOUNDS[bound];
  const holds: Record<string, (a: Name, b: Code | number) => Code> = {
    '>=': (a, b) => _`${a} >= ${b}`,
    '<=': (a, b) => _`${a} <= ${b}`,
    '>': (a, b) => _`${a} > ${b}`,
    '<': (a, b) => _`${a} < ${b}`,
  };
  return {
    keyword: boundKeyword(bound),
    schemaType: 'number',
    error: { message: ({ schema }) => str`must be ${op} ${String(schema)}` },
    code(cxt: KeywordCxt) {
      cxt.fail(_`typeof ${cxt.data} == "bigint" && !(${holds[op]!(cxt.data, cxt.schema as number)})`);
    },
  };
}

const multipleOfKeyword: CodeKeywordDefinition = {
  keyword: 'x-lattice-bigint-multipleOf',
  schemaType: 'number',
  error: { message: ({ schema }) => str`must be multiple of ${String(schema)}` },
  code(cxt: KeywordCxt) {
    const divisor = cxt.schema as number;
    // A bigint is a multiple of a fraction only if the fraction divides it; checked for integer divisors only.
    if (!Number.isInteger(divisor)) return;
    cxt.fail(_`typeof ${cxt.data} == "bigint" && ${cxt.data} % BigInt(${divisor}) != 0`);
  },
};

/** Adds the keywords the rewritten schemas use. */
export function addBigintKeywords(ajv: Ajv): void {
  ajv.addKeyword(typeKeyword);
  for (const bound of Object.keys(BOUNDS) as Bound[]) ajv.addKeyword(bigintBound(bound));
  ajv.addKeyword(multipleOfKeyword);
}

/** Keys whose values are data, not schemas: never rewritten. */
const DATA_KEYS = new Set(['enum', 'const', 'default', 'example', 'examples']);

/**
 * A copy of `schema` in which every `type` naming `integer` or `number` also
 * takes a bigint (OpenAPI's `nullable: true` folds into it as `null`), with
 * that subschema's bounds applied to bigints. Schemas are trusted and small:
 * this runs once per route, at start-up.
 */
export function bigintAware<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map((s: unknown) => bigintAware(s)) as T;
  if (typeof schema !== 'object' || schema === null) return schema;
  const node = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = DATA_KEYS.has(key) ? value : bigintAware(value);
  const declared = typeof node.type === 'string' ? [node.type] : Array.isArray(node.type) ? node.type : undefined;
  if (!declared || !declared.every((t): t is string => typeof t === 'string' && JSON_TYPES.has(t))) return out as T;
  if (!declared.includes('integer') && !declared.includes('number')) return out as T;
  const types = [...declared];
  if (node.nullable === true && !types.includes('null')) types.push('null');
  delete out.type;
  delete out.nullable;
  out[TYPE_KEYWORD] = types;
  for (const bound of Object.keys(BOUNDS) as Bound[]) {
    if (typeof node[bound] === 'number') out[boundKeyword(bound)] = node[bound];
  }
  if (typeof node.multipleOf === 'number') out['x-lattice-bigint-multipleOf'] = node.multipleOf;
  return out as T;
}
