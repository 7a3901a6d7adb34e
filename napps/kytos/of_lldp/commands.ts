/**
 * The v1 API's commands as pure functions over the machine's state: Kytos-ng's
 * statuses and messages (kytos-api.md 2.3, 4.1), the new state, the events.
 */
import { emission, livenessDisabled, lldpNetworkStatusUpdated, type Emission, type TopologyJson } from '#sdk';
import type { CommandResult } from './events.js';
import { interfaceLiveness, isoOrNull, knownOf, type LivenessPair } from './logic.js';

const error = (status: number, description: string): CommandResult => ({ status, body: { description, code: status } });

/** Python's repr of a list / set of strings, as Kytos-ng's messages print them. */
export const pyList = (ids: readonly string[]): string => `[${ids.map((i) => `'${i}'`).join(', ')}]`;
export const pySet = (ids: readonly string[]): string => `{${ids.map((i) => `'${i}'`).join(', ')}}`;

const allInterfaceIds = (t: TopologyJson): string[] => Object.values(t.switches).flatMap((s) => Object.keys(s.interfaces));

export function listLldp(t: TopologyJson, overrides: ReadonlyMap<string, boolean>): CommandResult {
  const ids = [...knownOf(t, overrides).values()].filter((i) => i.lldp).map((i) => i.id);
  return { status: 200, body: { interfaces: ids } };
}

export interface LldpSetOutcome {
  result: CommandResult;
  overrides?: Map<string, boolean>;
  changed: string[];
  emits: Emission[];
}

/** `POST v1/interfaces/enable|disable`. */
export function setLldp(t: TopologyJson, overrides: ReadonlyMap<string, boolean>, ids: readonly string[], enabled: boolean): LldpSetOutcome {
  const all = new Set(allInterfaceIds(t));
  if (all.size === 0) return { result: error(404, 'No interfaces were found.'), changed: [], emits: [] };
  const changed: string[] = [];
  const missing: string[] = [];
  for (const id of ids.filter(Boolean)) (all.has(id) ? changed : missing).push(id);
  const next = new Map(overrides);
  for (const id of changed) next.set(id, enabled);
  const emits = changed.length > 0 ? [emission(lldpNetworkStatusUpdated, { attribute: 'LLDP', state: enabled ? 'enabled' : 'disabled', interface_ids: changed })] : [];
  const verb = enabled ? 'enabled' : 'disabled';
  const result: CommandResult =
    missing.length === 0
      ? { status: 200, body: `All the requested interfaces have been ${verb}.` }
      : { status: 400, body: { [`Some interfaces couldn't be found and ${enabled ? 'activated' : 'deactivated'}: `]: missing } };
  return { result, overrides: next, changed, emits };
}

/** `POST v1/liveness/enable|disable` checks: an error, or the ids to store. */
export function checkLiveness(t: TopologyJson, overrides: ReadonlyMap<string, boolean>, ids: readonly string[], enabled: boolean): CommandResult | undefined {
  if (ids.length === 0) return error(400, 'Interfaces payload is empty');
  const known = knownOf(t, overrides);
  const missing = [...new Set(ids)].filter((id) => !known.has(id));
  if (missing.length > 0) return error(404, `Interface IDs ${pySet(missing)} not found`);
  if (enabled) {
    const off = ids.filter((id) => !known.get(id)!.lldp);
    if (off.length > 0) return error(400, `Interface IDs ${pyList(off)} don't have LLDP enabled`);
  }
  return undefined;
}

/** `GET v1/liveness/?interface_id=`. */
export function getLiveness(enabled: ReadonlySet<string>, pairs: ReadonlyMap<string, LivenessPair>, byInterface: ReadonlyMap<string, string>, id?: string): CommandResult {
  const ids = id ? (enabled.has(id) ? [id] : []) : [...enabled];
  return { status: 200, body: { interfaces: ids.map((i) => ({ id: i, ...interfaceLiveness(pairs, byInterface, i) })) } };
}

/** `GET v1/liveness/pair`. */
export function getPairs(pairs: ReadonlyMap<string, LivenessPair>, linkIds: ReadonlyMap<string, string>): CommandResult {
  return {
    status: 200,
    body: {
      pairs: [...pairs.values()].map((p) => ({
        interface_a: { id: p.a, status: p.ilsmA.state, last_hello_at: isoOrNull(p.ilsmA.lastHelloAt) },
        interface_b: { id: p.b, status: p.ilsmB.state, last_hello_at: isoOrNull(p.ilsmB.lastHelloAt) },
        link_id: linkIds.get(p.a) ?? null,
        status: p.state,
      })),
    },
  };
}

/** The `liveness.disabled` event for interfaces. */
export const livenessDisabledEmission = (ids: readonly string[]): Emission => emission(livenessDisabled, { interfaces: ids.map((id) => ({ id })) });
