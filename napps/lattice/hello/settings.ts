/** Settings of the hello NApp; override with `napps.settings["lattice/hello"]` in config. */
export interface HelloSettings {
  /** Word put before the name. */
  salutation: string;
}

export const defaults: HelloSettings = { salutation: 'Hello' };
