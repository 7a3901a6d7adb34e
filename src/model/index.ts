export * from './dpid.js';
export * from './interface.js';
export * from './switch.js';
