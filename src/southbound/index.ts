export * from './framing.js';
export * from './options.js';
export * from './service.js';
export * from './actor-protocol.js';
export { Southbound, type SouthboundDeps } from './southbound.js';
export { southboundOptionsFromConfig, type OpenflowConfigLike } from './from-config.js';
