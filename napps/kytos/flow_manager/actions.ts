/**
 * Kytos actions and instructions (kytos-api.md 2.1) <-> OpenFlow ones, through
 * the canonical dicts Kytos hashes: `{action_type: "output", port}`,
 * `{action_type: "set_vlan", vlan_id}`, `{action_type: "push_vlan", tag_type}`,
 * `{action_type: "pop_vlan"}`, `{action_type: "set_queue", queue_id}`;
 * instructions `{instruction_type, ...}`. Canonical instructions are in
 * OpenFlow's execution order (the order a switch reports them in), and an
 * apply/write_actions without actions is left out (a switch reports none).
 */
import type { Action, Instruction } from '#sdk';
import { FlowFieldError, jsonInt, toBigInt } from './match.js';
import type { PyValue } from './ids.js';

const OFPCML_NO_BUFFER = 0xffff;
const ETH_VLAN = 0x8100;
const ETH_QINQ = 0x88a8;

type Dict = { [k: string]: PyValue };

function intField(path: string, o: Record<string, unknown>, key: string, max: bigint): bigint {
  const n = toBigInt(o[key]);
  if (n === undefined || n < 0n || n > max) throw new FlowFieldError(`${path}.${key}`, `${path}.${key} must be an integer from 0 to ${max}`);
  return n;
}

function onlyKeys(path: string, o: Record<string, unknown>, allowed: string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new FlowFieldError(`${path}.${k}`, `unexpected field '${k}' in ${String(o.action_type)} action`);
  }
}

const U32 = 0xffffffffn;

/** One request action -> its canonical dict and OpenFlow action. */
function parseAction(path: string, a: unknown): { canon: Dict; of: Action } {
  if (typeof a !== 'object' || a === null || Array.isArray(a)) throw new FlowFieldError(path, `${path} must be an object`);
  const o = a as Record<string, unknown>;
  switch (o.action_type) {
    case 'output': {
      onlyKeys(path, o, ['action_type', 'port']);
      const port = Number(intField(path, o, 'port', U32));
      return { canon: { action_type: 'output', port }, of: { type: 'output', port, maxLen: OFPCML_NO_BUFFER } };
    }
    case 'set_vlan': {
      onlyKeys(path, o, ['action_type', 'vlan_id']);
      const vid = Number(intField(path, o, 'vlan_id', 4095n));
      return { canon: { action_type: 'set_vlan', vlan_id: vid }, of: { type: 'set_field', field: { field: 'vlan_vid', value: vid | 0x1000 } } };
    }
    case 'push_vlan': {
      onlyKeys(path, o, ['action_type', 'tag_type']);
      if (o.tag_type !== 'c' && o.tag_type !== 's') throw new FlowFieldError(`${path}.tag_type`, `${path}.tag_type must be "c" or "s"`);
      return { canon: { action_type: 'push_vlan', tag_type: o.tag_type }, of: { type: 'push_vlan', ethertype: o.tag_type === 's' ? ETH_QINQ : ETH_VLAN } };
    }
    case 'pop_vlan':
      onlyKeys(path, o, ['action_type']);
      return { canon: { action_type: 'pop_vlan' }, of: { type: 'pop_vlan' } };
    case 'set_queue': {
      onlyKeys(path, o, ['action_type', 'queue_id']);
      const queueId = Number(intField(path, o, 'queue_id', U32));
      return { canon: { action_type: 'set_queue', queue_id: queueId }, of: { type: 'set_queue', queueId } };
    }
    default:
      throw new FlowFieldError(`${path}.action_type`, `unknown action_type ${JSON.stringify(o.action_type ?? null)}`);
  }
}

function parseActions(path: string, list: unknown): { canon: Dict[]; of: Action[] } {
  if (!Array.isArray(list)) throw new FlowFieldError(path, `${path} must be a list`);
  const canon: Dict[] = [];
  const of: Action[] = [];
  list.forEach((a, i) => {
    const p = parseAction(`${path}[${i}]`, a);
    canon.push(p.canon);
    of.push(p.of);
  });
  return { canon, of };
}

/** Execution order of instruction types (OpenFlow 1.3 5.9), the order a switch reports them in. */
const ORDER: Record<string, number> = { meter: 0, apply_actions: 1, clear_actions: 2, write_actions: 3, write_metadata: 4, goto_table: 5 };

interface Parsed {
  canon: Dict[];
  of: Instruction[];
}

function sortParsed(items: { canon: Dict; of: Instruction }[]): Parsed {
  items.sort((a, b) => ORDER[a.canon.instruction_type as string] - ORDER[b.canon.instruction_type as string]);
  return { canon: items.map((i) => i.canon), of: items.map((i) => i.of) };
}

/** A request flow's `actions` or `instructions` -> canonical instruction dicts and OpenFlow instructions. */
export function parseInstructions(flow: Record<string, unknown>): Parsed {
  if (flow.actions !== undefined && flow.actions !== null && flow.instructions !== undefined && flow.instructions !== null) {
    throw new FlowFieldError('instructions', 'Cannot have both "actions" and "instructions" at the same time');
  }
  const items: { canon: Dict; of: Instruction }[] = [];
  if (flow.actions !== undefined && flow.actions !== null) {
    const a = parseActions('actions', flow.actions);
    if (a.of.length > 0) items.push({ canon: { instruction_type: 'apply_actions', actions: a.canon }, of: { type: 'apply_actions', actions: a.of } });
  }
  if (flow.instructions !== undefined && flow.instructions !== null) {
    if (!Array.isArray(flow.instructions)) throw new FlowFieldError('instructions', 'instructions must be a list');
    const seen = new Set<string>();
    flow.instructions.forEach((raw, i) => {
      const path = `instructions[${i}]`;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FlowFieldError(path, `${path} must be an object`);
      const o = raw as Record<string, unknown>;
      const type = o.instruction_type;
      if (typeof type !== 'string' || !(type in ORDER)) {
        throw new FlowFieldError(`${path}.instruction_type`, `unknown instruction_type ${JSON.stringify(type ?? null)}`);
      }
      if (seen.has(type)) throw new FlowFieldError(path, `instruction ${type} appears twice`);
      seen.add(type);
      switch (type) {
        case 'apply_actions':
        case 'write_actions': {
          const a = parseActions(`${path}.actions`, o.actions ?? []);
          if (a.of.length > 0) items.push({ canon: { instruction_type: type, actions: a.canon }, of: { type, actions: a.of } });
          break;
        }
        case 'clear_actions':
          items.push({ canon: { instruction_type: 'clear_actions', actions: [] }, of: { type: 'clear_actions' } });
          break;
        case 'goto_table': {
          const t = Number(intField(path, o, 'table_id', 254n));
          items.push({ canon: { instruction_type: 'goto_table', table_id: t }, of: { type: 'goto_table', tableId: t } });
          break;
        }
        case 'meter': {
          const m = Number(intField(path, o, 'meter_id', U32));
          items.push({ canon: { instruction_type: 'meter', meter_id: m }, of: { type: 'meter', meterId: m } });
          break;
        }
        case 'write_metadata': {
          const md = intField(path, o, 'metadata', (1n << 64n) - 1n);
          const mask = o.metadata_mask === undefined ? 0n : intField(path, o, 'metadata_mask', (1n << 64n) - 1n);
          items.push({
            canon: { instruction_type: 'write_metadata', metadata: jsonInt(md), metadata_mask: jsonInt(mask) },
            of: { type: 'write_metadata', metadata: md, metadataMask: mask },
          });
          break;
        }
      }
    });
  }
  return sortParsed(items);
}

/** A switch-reported action as Kytos reads it (unknown kinds keep their codec type, so an alien flow's id is still stable). */
function actionFromOf(a: Action): Dict {
  switch (a.type) {
    case 'output':
      return { action_type: 'output', port: a.port };
    case 'set_field':
      if (a.field.field === 'vlan_vid') return { action_type: 'set_vlan', vlan_id: (a.field.value as number) & 4095 };
      return { action_type: `set_field:${a.field.field}` };
    case 'push_vlan':
      return { action_type: 'push_vlan', tag_type: a.ethertype === ETH_QINQ ? 's' : 'c' };
    case 'pop_vlan':
      return { action_type: 'pop_vlan' };
    case 'set_queue':
      return { action_type: 'set_queue', queue_id: a.queueId };
    default:
      return { action_type: a.type };
  }
}

/** Switch-reported instructions -> canonical dicts (same order rules as requests). */
export function instructionsFromOf(list: readonly Instruction[]): Dict[] {
  const items: { canon: Dict; of: Instruction }[] = [];
  for (const i of list) {
    switch (i.type) {
      case 'apply_actions':
      case 'write_actions':
        if (i.actions.length > 0) items.push({ canon: { instruction_type: i.type, actions: i.actions.map(actionFromOf) }, of: i });
        break;
      case 'clear_actions':
        items.push({ canon: { instruction_type: 'clear_actions', actions: [] }, of: i });
        break;
      case 'goto_table':
        items.push({ canon: { instruction_type: 'goto_table', table_id: i.tableId }, of: i });
        break;
      case 'meter':
        items.push({ canon: { instruction_type: 'meter', meter_id: i.meterId }, of: i });
        break;
      case 'write_metadata':
        items.push({ canon: { instruction_type: 'write_metadata', metadata: jsonInt(i.metadata), metadata_mask: jsonInt(i.metadataMask) }, of: i });
        break;
      default:
        break;
    }
  }
  return sortParsed(items).canon;
}
