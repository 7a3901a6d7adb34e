/**
 * An emulated fabric for of_lldp benchmarks: `n` emulated switches (2 data
 * ports each) in a ring, port 1 of switch i wired to port 2 of switch i+1.
 * Each LLDP PACKET_OUT a switch receives comes back, frame intact, as a
 * PACKET_IN on its peer (in_port the peer port), as a wire would carry it.
 */
import { EmulatedSwitch } from '../../test/tools/switch-emulator.js';
import { ofp, type OfMessage } from '../../src/openflow/index.js';

export interface Fabric {
  switches: EmulatedSwitch[];
  /** PACKET_OUTs reflected so far. */
  reflected(): number;
  close(): void;
}

export async function emulatedRing(n: number, ofPort: number, firstDpid = 0x10000n): Promise<Fabric> {
  const switches: EmulatedSwitch[] = [];
  let reflected = 0;
  const peerOf = (i: number, port: number): [number, number] | undefined =>
    port === 1 ? [(i + 1) % n, 2] : port === 2 ? [(i - 1 + n) % n, 1] : undefined;
  for (let i = 0; i < n; i++) {
    const sw = new EmulatedSwitch({ port: ofPort, dpid: firstDpid + BigInt(i), ports: 2 });
    sw.on('message', (m: OfMessage) => {
      // The emulator keeps what it received; a long run keeps only the recent messages.
      if (sw.received.length > 64) sw.received.splice(0, sw.received.length - 32);
      if (sw.frames.length > 64) sw.frames.splice(0, sw.frames.length - 32);
      if (m.type !== 'packet_out') return;
      for (const a of m.actions) {
        if (a.type !== 'output') continue;
        const peer = peerOf(i, a.port);
        if (!peer) continue;
        const [j, inPort] = peer;
        reflected++;
        switches[j]?.send({
          type: 'packet_in',
          version: 4,
          xid: 0,
          bufferId: ofp.OFP_NO_BUFFER,
          totalLen: m.data.length,
          reason: 1,
          tableId: 0,
          cookie: 0xab00000000000000n,
          match: [{ field: 'in_port', value: inPort }],
          data: m.data,
        });
      }
    });
    switches.push(sw);
    // Connect in small groups so the controller's accept queue is not flooded.
    if (i % 50 === 49) await Promise.all(switches.slice(i - 49, i + 1).map((s) => s.waitReady(60_000)));
  }
  await Promise.all(switches.map((s) => s.waitReady(60_000)));
  return {
    switches,
    reflected: () => reflected,
    close: () => {
      for (const s of switches) s.close();
    },
  };
}
