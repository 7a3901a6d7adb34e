/** The OpenFlow 1.3 codec's message types, constants and helpers, for NApps. */
export * from '../openflow/index.js';
