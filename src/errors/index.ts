export * from './base.js';
export * from './codes.js';
export * from './classes.js';
export * from './http-status.js';
