/**
 * 7.2.5 actions: ofp_action_header type u16, len u16 (whole action, a
 * multiple of 8), then the type's body. Fixed-size actions must have exactly
 * their size; set_field carries one OXM padded to 8; experimenter and unknown
 * types are kept as bytes.
 */
import { OFPAT, OFPBAC, OFPET } from './constants.js';
import { OfCodecError } from './errors.js';
import { decodeOxm, encodeOxm, type Oxm } from './match.js';
import { readTlvList, requireMultipleOf8, type Reader, type Writer } from './wire.js';

export type Action =
  | { type: 'output'; port: number; maxLen: number }
  | { type: 'copy_ttl_out' }
  | { type: 'copy_ttl_in' }
  | { type: 'set_mpls_ttl'; mplsTtl: number }
  | { type: 'dec_mpls_ttl' }
  | { type: 'push_vlan'; ethertype: number }
  | { type: 'pop_vlan' }
  | { type: 'push_mpls'; ethertype: number }
  | { type: 'pop_mpls'; ethertype: number }
  | { type: 'set_queue'; queueId: number }
  | { type: 'group'; groupId: number }
  | { type: 'set_nw_ttl'; nwTtl: number }
  | { type: 'dec_nw_ttl' }
  | { type: 'set_field'; field: Oxm }
  | { type: 'push_pbb'; ethertype: number }
  | { type: 'pop_pbb' }
  /** data: the bytes after the experimenter id (a multiple of 8 long). */
  | { type: 'experimenter'; experimenter: number; data: Buffer }
  /** An action type 1.3 does not define; body: the bytes after type and len. */
  | { type: 'unknown'; actionType: number; body: Buffer };

const badAction = (msg: string, ofCode: number = OFPBAC.BAD_LEN): OfCodecError =>
  new OfCodecError('BAD_ACTION', msg, { ofType: OFPET.BAD_ACTION, ofCode });

/** Actions with no argument (body: 4 bytes of padding), by name. */
const BARE_CODE = {
  copy_ttl_out: OFPAT.COPY_TTL_OUT,
  copy_ttl_in: OFPAT.COPY_TTL_IN,
  dec_mpls_ttl: OFPAT.DEC_MPLS_TTL,
  pop_vlan: OFPAT.POP_VLAN,
  dec_nw_ttl: OFPAT.DEC_NW_TTL,
  pop_pbb: OFPAT.POP_PBB,
} as const;

/** Actions whose only argument is an ethertype, by name. */
const ETHERTYPE_CODE = { push_vlan: OFPAT.PUSH_VLAN, push_mpls: OFPAT.PUSH_MPLS, pop_mpls: OFPAT.POP_MPLS, push_pbb: OFPAT.PUSH_PBB } as const;

function fixedLen(r: Reader, len: number, expected: number, name: string): void {
  if (len !== expected) throw badAction(`${name}: length ${len} != ${expected}`);
  r.skip(4, name); // type and len, already checked by the list reader
}

type ActionDecoder = (r: Reader, len: number) => Action;

/**
 * Action type code -> decoder, built once: the hot loop indexes an array
 * instead of walking a switch over imported constants.
 */
const DECODERS: ReadonlyArray<ActionDecoder | undefined> = (() => {
  const t: ActionDecoder[] = [];
  t[OFPAT.OUTPUT] = (r, len) => {
    fixedLen(r, len, 16, 'output');
    const port = r.u32('output.port');
    const maxLen = r.u16('output.max_len');
    return { type: 'output', port, maxLen };
  };
  for (const [type, code] of Object.entries(BARE_CODE)) {
    t[code] = (r, len) => {
      fixedLen(r, len, 8, type);
      return { type } as Action;
    };
  }
  t[OFPAT.SET_MPLS_TTL] = (r, len) => {
    fixedLen(r, len, 8, 'set_mpls_ttl');
    return { type: 'set_mpls_ttl', mplsTtl: r.u8('mpls_ttl') };
  };
  t[OFPAT.SET_NW_TTL] = (r, len) => {
    fixedLen(r, len, 8, 'set_nw_ttl');
    return { type: 'set_nw_ttl', nwTtl: r.u8('nw_ttl') };
  };
  for (const [type, code] of Object.entries(ETHERTYPE_CODE) as Array<[keyof typeof ETHERTYPE_CODE, number]>) {
    t[code] = (r, len) => {
      fixedLen(r, len, 8, type);
      return { type, ethertype: r.u16('ethertype') };
    };
  }
  t[OFPAT.SET_QUEUE] = (r, len) => {
    fixedLen(r, len, 8, 'set_queue');
    return { type: 'set_queue', queueId: r.u32('queue_id') };
  };
  t[OFPAT.GROUP] = (r, len) => {
    fixedLen(r, len, 8, 'group');
    return { type: 'group', groupId: r.u32('group_id') };
  };
  t[OFPAT.SET_FIELD] = (r) => {
    r.skip(4);
    if (r.remaining < 4) throw badAction('set_field: no room for an OXM', OFPBAC.BAD_SET_LEN);
    let field: Oxm;
    try {
      field = decodeOxm(r);
    } catch (e) {
      if (e instanceof OfCodecError && e.code !== 'BAD_MATCH') throw e;
      throw badAction('set_field: bad OXM', OFPBAC.BAD_SET_LEN);
    }
    // What is left must be the padding to 8 and nothing more.
    if (r.remaining >= 8) throw badAction('set_field: bytes after the OXM', OFPBAC.BAD_SET_LEN);
    return { type: 'set_field', field };
  };
  return t;
})();

const EXPERIMENTER = OFPAT.EXPERIMENTER;

function decodeOne(type: number, r: Reader, len: number): Action {
  const decode = DECODERS[type];
  if (decode) return decode(r, len);
  r.skip(4);
  if (type === EXPERIMENTER) {
    const experimenter = r.u32('experimenter');
    return { type: 'experimenter', experimenter, data: r.rest() };
  }
  return { type: 'unknown', actionType: type, body: r.rest() };
}

/** An action list filling the reader. */
export function decodeActions(r: Reader): Action[] {
  return readTlvList(r, 8, 'action', 'BAD_ACTION', decodeOne);
}


export function encodeAction(w: Writer, a: Action): void {
  switch (a.type) {
    case 'output':
      w.u16(OFPAT.OUTPUT).u16(16).u32(a.port, 'output.port').u16(a.maxLen, 'output.max_len').zeros(6);
      return;
    case 'copy_ttl_out':
    case 'copy_ttl_in':
    case 'dec_mpls_ttl':
    case 'pop_vlan':
    case 'dec_nw_ttl':
    case 'pop_pbb':
      w.u16(BARE_CODE[a.type]).u16(8).zeros(4);
      return;
    case 'set_mpls_ttl':
      w.u16(OFPAT.SET_MPLS_TTL).u16(8).u8(a.mplsTtl, 'mpls_ttl').zeros(3);
      return;
    case 'set_nw_ttl':
      w.u16(OFPAT.SET_NW_TTL).u16(8).u8(a.nwTtl, 'nw_ttl').zeros(3);
      return;
    case 'push_vlan':
    case 'push_mpls':
    case 'pop_mpls':
    case 'push_pbb':
      w.u16(ETHERTYPE_CODE[a.type]).u16(8).u16(a.ethertype, 'ethertype').zeros(2);
      return;
    case 'set_queue':
      w.u16(OFPAT.SET_QUEUE).u16(8).u32(a.queueId, 'queue_id');
      return;
    case 'group':
      w.u16(OFPAT.GROUP).u16(8).u32(a.groupId, 'group_id');
      return;
    case 'set_field': {
      const start = w.offset;
      w.u16(OFPAT.SET_FIELD).u16(0);
      encodeOxm(w, a.field);
      w.padTo(start);
      w.patchU16(start + 2, w.offset - start, 'set_field.len');
      return;
    }
    case 'experimenter':
      requireMultipleOf8(8 + a.data.length, 'experimenter action');
      w.u16(OFPAT.EXPERIMENTER).u16(8 + a.data.length, 'action.len').u32(a.experimenter, 'experimenter').bytes(a.data);
      return;
    case 'unknown':
      requireMultipleOf8(4 + a.body.length, 'action');
      w.u16(a.actionType, 'action.type').u16(4 + a.body.length, 'action.len').bytes(a.body);
      return;
    default:
      throw new OfCodecError('BAD_FIELD', `action: unknown type ${String((a as { type: unknown }).type)}`);
  }
}

export function encodeActions(w: Writer, actions: readonly Action[]): void {
  for (const a of actions) encodeAction(w, a);
}
