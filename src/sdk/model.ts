/** The model value types (Switch, Interface, Link) and their Kytos JSON, for NApps. */
export * from '../model/index.js';
