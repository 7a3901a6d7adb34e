/** The switch service NApps get as `ctx.service<SwitchService>('switches')`. */
export * from '../southbound/service.js';
