export * from './base.js';
export * from './codes.js';
export * from './classes.js';
export * from './switch.js';
export * from './http-status.js';
