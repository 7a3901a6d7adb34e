export * from './types.js';
export * from './definitions.js';
export * from './registry.js';
