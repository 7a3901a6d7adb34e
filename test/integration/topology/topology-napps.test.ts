/**
 * topology with other NApps, no switches needed (of_core's events are
 * published): tag allocations from two NApps at once, interruptions.
 */
import { expect } from 'chai';
import { allocateTags, defineNApp, interfaceIsNni, interruptionEnd, interruptionStart, releaseTags, switchNew, type NAppContext } from '../../../src/sdk/index.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { linkId } from '../../../napps/kytos/topology/state.js';
import { until } from '../../helpers/log.js';
import { dpid, switchJson } from '../../unit/napps/kytos/topology/fixtures.js';
import { API } from './harness.js';

const A = `${dpid(1)}:1`;
const B = `${dpid(2)}:1`;
const LINK = linkId(A, B);

/** A NApp that only keeps its context, to ask from. */
function client(name: string, held: Record<string, NAppContext>) {
  return defineNApp({
    manifest: { username: 'test', name, version: '1.0.0' },
    setup: (ctx) => {
      held[name] = ctx as NAppContext;
    },
  });
}

describe('kytos/topology with other NApps', function () {
  this.timeout(30_000);
  let t: TestController;
  const held: Record<string, NAppContext> = {};

  before(async () => {
    t = await createTestController({
      napps: [client('evc_a', held), client('evc_b', held)],
      config: { napps: { enabled: ['kytos/topology'], settings: { 'kytos/topology': { LINK_UP_TIMER: 0 } } } },
    });
    t.bus.publish(switchNew.type, { switch: switchJson(1, [1, 2]) } as never);
    t.bus.publish(switchNew.type, { switch: switchJson(2, [1]) } as never);
    t.bus.publish(interfaceIsNni.type, { interface_a: { id: A }, interface_b: { id: B } });
    await until(async () => (await t.http.get(`${API}/links`)).body.links[LINK]?.status === 'UP', 5000, 'the link UP');
  });
  after(async () => {
    await t?.stop();
  });

  it('should give 100 concurrent allocations from two NApps 100 distinct tags, and take them back', async () => {
    const asks = Array.from({ length: 100 }, (_, i) => held[i % 2 ? 'evc_a' : 'evc_b']!.ask(allocateTags, { interface_id: A, count: 1 }));
    const tags = (await Promise.all(asks)).map((x) => x[0]!);
    expect(new Set(tags).size).to.equal(100);
    expect(tags).to.not.include(3799);
    const pool = (await t.http.get(`${API}/interfaces/${A}/tag_ranges`)).body[A];
    expect(pool.available_tags.vlan[0]).to.deep.equal([101, 3798]);
    // Tags in use block what Kytos-ng blocks: narrowing the ranges under them.
    const narrow = await t.http.post(`${API}/interfaces/${A}/tag_ranges`, { tag_type: 'vlan', tag_ranges: [[200, 300]] });
    expect(narrow.status).to.equal(400);
    let taken: unknown;
    try {
      await held.evc_a!.ask(allocateTags, { interface_id: A, tags: [tags[0]!] });
    } catch (e) {
      taken = e;
    }
    expect((taken as { code: string }).code).to.equal('CONFLICT');
    expect(await held.evc_b!.ask(releaseTags, { interface_id: A, tags })).to.have.length(100);
    expect((await t.http.get(`${API}/interfaces/${A}/tag_ranges`)).body[A].available_tags.vlan).to.deep.equal([
      [1, 3798],
      [3800, 4094],
    ]);
  });

  it('should keep a 64-bit metadata value exact in the stored document and the served bytes', async () => {
    const r = await t.http.post(`${API}/switches/${dpid(2)}/metadata`, undefined, { raw: '{"cookie":18446744073709551615}', contentType: 'application/json' });
    expect(r.status).to.equal(201);
    const top = await t.http.get(`${API}/`);
    expect(top.status).to.equal(200);
    expect(top.text).to.include('"metadata":{"cookie":18446744073709551615}');
    expect((await t.http.get(`${API}/switches/${dpid(2)}/metadata`)).text).to.equal('{"metadata":{"cookie":18446744073709551615}}');
  });

  it('should take an interrupted switch\'s links DOWN with status_reason maintenance, and back', async () => {
    const events: string[] = [];
    const off = t.bus.on(['kytos/topology\\.link_(up|down)'], (e) => events.push(e.name));
    t.bus.publish(interruptionStart.type, { type: 'maintenance', switches: [dpid(1)] });
    const down = await until(async () => {
      const l = (await t.http.get(`${API}/links`)).body.links[LINK];
      return l.status === 'DOWN' ? l : undefined;
    }, 5000, 'the link DOWN').then((x) => x!);
    expect(down.status_reason).to.deep.equal(['maintenance']);
    expect(down.endpoint_a.status_reason).to.deep.equal(['maintenance']);
    t.bus.publish(interruptionEnd.type, { type: 'maintenance', switches: [dpid(1)] });
    await until(async () => (await t.http.get(`${API}/links`)).body.links[LINK].status === 'UP', 5000, 'the link UP again');
    await until(() => events.length === 2, 2000, 'link_down and link_up');
    off();
    expect(events).to.deep.equal(['kytos/topology.link_down', 'kytos/topology.link_up']);
  });
});
