/**
 * 7.2.4 instructions: ofp_instruction type u16, len u16 (whole instruction,
 * a multiple of 8). goto_table, meter and clear_actions are 8 bytes,
 * write_metadata 24, write/apply_actions 8 + actions; experimenter and
 * unknown types are kept as bytes.
 */
import { OFPIT, OFPBIC, OFPET } from './constants.js';
import { OfCodecError } from './errors.js';
import { decodeActions, encodeActions, type Action } from './action.js';
import { readTlvList, requireMultipleOf8, type Reader, type Writer } from './wire.js';

export type Instruction =
  | { type: 'goto_table'; tableId: number }
  | { type: 'write_metadata'; metadata: bigint; metadataMask: bigint }
  | { type: 'write_actions'; actions: Action[] }
  | { type: 'apply_actions'; actions: Action[] }
  | { type: 'clear_actions' }
  | { type: 'meter'; meterId: number }
  | { type: 'experimenter'; experimenter: number; data: Buffer }
  | { type: 'unknown'; instructionType: number; body: Buffer };

const badLen = (name: string, len: number): OfCodecError =>
  new OfCodecError('BAD_INSTRUCTION', `${name}: length ${len}`, { ofType: OFPET.BAD_INSTRUCTION, ofCode: OFPBIC.BAD_LEN });

type InstructionDecoder = (r: Reader, len: number) => Instruction;

/** Instruction type code -> decoder (after type and len), built once. */
const DECODERS: ReadonlyArray<InstructionDecoder | undefined> = (() => {
  const t: InstructionDecoder[] = [];
  t[OFPIT.GOTO_TABLE] = (r, len) => {
    if (len !== 8) throw badLen('goto_table', len);
    return { type: 'goto_table', tableId: r.u8('table_id') };
  };
  t[OFPIT.WRITE_METADATA] = (r, len) => {
    if (len !== 24) throw badLen('write_metadata', len);
    r.skip(4);
    const metadata = r.u64('metadata');
    return { type: 'write_metadata', metadata, metadataMask: r.u64('metadata_mask') };
  };
  t[OFPIT.WRITE_ACTIONS] = (r) => {
    r.skip(4);
    return { type: 'write_actions', actions: decodeActions(r) };
  };
  t[OFPIT.APPLY_ACTIONS] = (r) => {
    r.skip(4);
    return { type: 'apply_actions', actions: decodeActions(r) };
  };
  t[OFPIT.CLEAR_ACTIONS] = (_r, len) => {
    if (len !== 8) throw badLen('clear_actions', len);
    return { type: 'clear_actions' };
  };
  t[OFPIT.METER] = (r, len) => {
    if (len !== 8) throw badLen('meter', len);
    return { type: 'meter', meterId: r.u32('meter_id') };
  };
  return t;
})();

const EXPERIMENTER = OFPIT.EXPERIMENTER;

function decodeOne(type: number, r: Reader, len: number): Instruction {
  r.skip(4); // type and len
  const decode = DECODERS[type];
  if (decode) return decode(r, len);
  if (type === EXPERIMENTER) {
    const experimenter = r.u32('experimenter');
    return { type: 'experimenter', experimenter, data: r.rest() };
  }
  return { type: 'unknown', instructionType: type, body: r.rest() };
}

/** An instruction list filling the reader. */
export function decodeInstructions(r: Reader): Instruction[] {
  return readTlvList(r, 8, 'instruction', 'BAD_INSTRUCTION', decodeOne);
}


export function encodeInstruction(w: Writer, i: Instruction): void {
  switch (i.type) {
    case 'goto_table':
      w.u16(OFPIT.GOTO_TABLE).u16(8).u8(i.tableId, 'table_id').zeros(3);
      return;
    case 'write_metadata':
      w.u16(OFPIT.WRITE_METADATA).u16(24).zeros(4).u64(i.metadata, 'metadata').u64(i.metadataMask, 'metadata_mask');
      return;
    case 'write_actions':
    case 'apply_actions': {
      const start = w.offset;
      w.u16(i.type === 'write_actions' ? OFPIT.WRITE_ACTIONS : OFPIT.APPLY_ACTIONS).u16(0).zeros(4);
      encodeActions(w, i.actions);
      w.patchU16(start + 2, w.offset - start, 'instruction.len');
      return;
    }
    case 'clear_actions':
      w.u16(OFPIT.CLEAR_ACTIONS).u16(8).zeros(4);
      return;
    case 'meter':
      w.u16(OFPIT.METER).u16(8).u32(i.meterId, 'meter_id');
      return;
    case 'experimenter':
      requireMultipleOf8(8 + i.data.length, 'experimenter instruction');
      w.u16(OFPIT.EXPERIMENTER).u16(8 + i.data.length, 'instruction.len').u32(i.experimenter, 'experimenter').bytes(i.data);
      return;
    case 'unknown':
      requireMultipleOf8(4 + i.body.length, 'instruction');
      w.u16(i.instructionType, 'instruction.type').u16(4 + i.body.length, 'instruction.len').bytes(i.body);
      return;
    default:
      throw new OfCodecError('BAD_FIELD', `instruction: unknown type ${String((i as { type: unknown }).type)}`);
  }
}

export function encodeInstructions(w: Writer, list: readonly Instruction[]): void {
  for (const i of list) encodeInstruction(w, i);
}
