export * from './load.js';
export * from './schema.js';
export type { Config } from './types.js';
