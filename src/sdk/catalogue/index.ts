/**
 * The catalogue: every bus event, ask and service contract, one declaration
 * each, grouped by producer. Later NApps add their own file here as they land.
 */
export * from './core.js';
export * from './southbound.js';
export * from './of-core.js';
export * from './hello.js';
export * from './topology.js';
export * from './flow-manager.js';
export * from './pathfinder.js';
export * from './mef-eline.js';
export * from './of-lldp.js';
export * from './maintenance.js';
