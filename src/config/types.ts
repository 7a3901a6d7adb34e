import type { CONFIG_SCHEMA, Leaf, Section } from './schema.js';

type LeafValue<L extends Leaf> = L['type'] extends 'integer' | 'number'
  ? number
  : L['type'] extends 'boolean'
    ? boolean
    : L['type'] extends 'string[]'
      ? string[]
      : L['type'] extends 'object'
        ? Record<string, Record<string, unknown>>
        : string;

type Values<S> = { [K in keyof S]: S[K] extends Leaf ? LeafValue<S[K]> : S[K] extends Section ? Values<S[K]> : never };

/** The loaded, validated configuration. */
export type Config = Values<typeof CONFIG_SCHEMA>;
