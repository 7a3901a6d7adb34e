/** The Kytos topology JSON (`GET /api/kytos/topology/v3/`, `kytos/topology.updated`) as the UI reads it. */
export interface Intf {
  id: string;
  name?: string;
  port_number?: number;
  status?: string;
  status_reason?: string[];
  enabled?: boolean;
  active?: boolean;
  link?: string;
  speed?: number;
  mac?: string;
  metadata?: Record<string, unknown>;
}
export interface Sw {
  id: string;
  dpid: string;
  name?: string;
  status?: string;
  status_reason?: string[];
  enabled?: boolean;
  active?: boolean;
  connection?: string;
  interfaces?: Record<string, Intf>;
  metadata?: Record<string, unknown>;
}
export interface Link {
  id: string;
  endpoint_a: Intf;
  endpoint_b: Intf;
  status?: string;
  status_reason?: string[];
  enabled?: boolean;
  active?: boolean;
  metadata?: Record<string, unknown>;
}
export interface Topology {
  switches: Record<string, Sw>;
  links: Record<string, Link>;
}

export const switchOf = (interfaceId: string): string => interfaceId.split(':').slice(0, 8).join(':');
export const switchLabel = (s: Sw | undefined, dpid: string): string => (s?.name && s.name !== s.dpid ? s.name : dpid);
/** The status an entity shows: Kytos' status, else derived from enabled/active. */
export const statusOf = (e: { status?: string; enabled?: boolean; active?: boolean }): string =>
  e.status ?? (e.enabled === false ? 'DISABLED' : e.active ? 'UP' : 'DOWN');
