/**
 * Codec throughput on a few representative vectors (not a test: figures for
 * the report). `npx tsx test/unit/openflow/bench.ts` — bounded: 20k
 * iterations per vector and direction after 2k of warm-up.
 */
import { decodeMessage, encodeMessage } from '../../../src/openflow/index.js';
import { validVectors } from '../../vectors/openflow/index.js';

const N = 20_000;
const pick = [
  'OVS PACKET_IN of an ARP request on the table-miss flow',
  'OVS ECHO_REQUEST (inactivity probe)',
  'OVS PORT_DESC reply: LOCAL, p1, p2',
  'OVS FLOW stats reply with two flows',
  'FLOW_MOD ADD: L2-L4 IPv4/TCP match with masks, every instruction and action type',
  'PACKET_OUT of an ARP frame to port 2 (accepted by Open vSwitch 3.1.0)',
];

function time(fn: () => unknown): number {
  for (let i = 0; i < 2000; i++) fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) fn();
  return Number(process.hrtime.bigint() - t0) / N;
}

console.log('vector'.padEnd(60), 'bytes', 'decode ns', 'encode ns');
for (const name of pick) {
  const v = validVectors.find((x) => x.name === name)!;
  const d = time(() => decodeMessage(v.bytes));
  const e = time(() => encodeMessage(v.message));
  console.log(name.slice(0, 60).padEnd(60), String(v.bytes.length).padStart(5), d.toFixed(0).padStart(9), e.toFixed(0).padStart(9));
}
