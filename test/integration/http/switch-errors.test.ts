import { expect } from 'chai';
import { defineNApp, ofp, switchesService, type NAppContext, type OfMessage } from '../../../src/sdk/index.js';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { skipWithoutOvs, startOvs, dpidColon, type Ovs } from '../../env/ovs.js';
import { EmulatedSwitch } from '../../tools/switch-emulator.js';
import { until } from '../../helpers/log.js';

/** A flow_mod whose table and action a test chooses (table 254 or an output port above OFPP_MAX are refused by OVS). */
const flowMod = (tableId: number, outPort: number): OfMessage =>
  ({
    type: 'flow_mod', version: 4, xid: 0, cookie: 0x77n, cookieMask: 0n, tableId, command: ofp.OFPFC.ADD,
    idleTimeout: 0, hardTimeout: 0, priority: 10, bufferId: ofp.OFP_NO_BUFFER, outPort: ofp.OFPP.ANY, outGroup: ofp.OFPG.ANY, flags: 0,
    match: [{ field: 'in_port', value: 1 }],
    instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: outPort, maxLen: 0 }] }],
  }) as unknown as OfMessage;

/** A NApp whose routes wait on the `switches` service and let its errors travel to HTTP untouched. */
const prober = defineNApp({
  manifest: { username: 'test', name: 'prober', version: '1.0.0' },
  routes: (ctx: NAppContext) => {
    const switches = () => ctx.service(switchesService);
    return [
      {
        method: 'GET', access: 'read',
        path: '/v1/config/{dpid}',
        handler: async (req) => {
          const reply = await switches().request(req.params.dpid!, { type: 'get_config_request', version: 4, xid: 0 } as OfMessage, { timeoutMs: 300 });
          return { body: { type: reply.type } };
        },
      },
      {
        method: 'POST', access: 'write',
        path: '/v1/flows/{dpid}/{table}/{port}',
        handler: async (req) => {
          await switches().sendWithBarrier(req.params.dpid!, [flowMod(Number(req.params.table), Number(req.params.port))], { timeoutMs: 3000 });
          return { status: 201, body: {} };
        },
      },
    ];
  },
});

describe('switch errors over HTTP', function () {
  this.timeout(30_000);

  describe('with an emulated switch', () => {
    let t: TestController;
    let sw: EmulatedSwitch | undefined;
    beforeEach(async () => {
      t = await createTestController({ napps: [prober] });
    });
    afterEach(async () => {
      sw?.close();
      sw = undefined;
      await t.stop();
    });

    it('should answer 504 when the switch never answers the request', async () => {
      // The emulator answers the handshake but never OFPT_GET_CONFIG_REQUEST: a silent switch.
      sw = new EmulatedSwitch({ port: t.openflowPort, dpid: 0x51n });
      await sw.waitReady();
      const dpid = dpidColon(0x51);
      await until(() => t.controller.southbound.get(dpid) !== undefined, 5000, 'switch ready');
      const res = await t.http.get(`/api/test/prober/v1/config/${dpid}`);
      expect(await sw.waitFor((m) => m.type === 'get_config_request')).to.have.property('type', 'get_config_request');
      expect(res.status).to.equal(504);
      expect(res.body.code).to.equal(504);
      expect(res.body.description).to.match(/no answer to xid/);
    });

    it('should answer 424 for a dpid that is not connected', async () => {
      const res = await t.http.get('/api/test/prober/v1/config/00:00:00:00:00:00:0a:0b');
      expect(res.status).to.equal(424);
      expect(res.body).to.deep.equal({ description: 'switch 00:00:00:00:00:00:0a:0b is not connected', code: 424 });
    });

    it('should answer 424 when the switch disconnects before answering', async () => {
      sw = new EmulatedSwitch({ port: t.openflowPort, dpid: 0x52n });
      await sw.waitReady();
      const dpid = dpidColon(0x52);
      await until(() => t.controller.southbound.get(dpid) !== undefined, 5000, 'switch ready');
      const pending = t.http.get(`/api/test/prober/v1/config/${dpid}`);
      await sw.waitFor((m) => m.type === 'get_config_request');
      sw.close();
      const res = await pending;
      expect(res.status).to.equal(424);
      expect(res.body.code).to.equal(424);
    });
  });

  describe('with real Open vSwitch', () => {
    let t: TestController;
    let ovs: Ovs;
    const dpid = dpidColon(0x61);
    before(async function () {
      await skipWithoutOvs(this);
      t = await createTestController({ napps: [prober] });
      ovs = await startOvs();
      await ovs.addBridge('se1', 0x61, { ports: ['se1-eth1', 'se1-eth2'], controllerPort: t.openflowPort });
      await until(() => t.controller.southbound.get(dpid) !== undefined, 20_000, 'OVS bridge ready');
    });
    after(async () => {
      await t?.stop();
      await ovs?.stop();
    });

    it('should answer 201 for a flow the switch takes', async () => {
      const res = await t.http.post(`/api/test/prober/v1/flows/${dpid}/0/2`);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect((await ovs.dumpFlows('se1')).some((f) => /cookie=0x77,.*in_port=1 actions=output:2/.test(f))).to.equal(true);
    });

    it('should answer 502 with the OFPT_ERROR type and code when the switch refuses (table 254: BAD_REQUEST/EPERM)', async () => {
      const res = await t.http.post(`/api/test/prober/v1/flows/${dpid}/254/2`);
      expect(res.status).to.equal(502);
      expect(res.body).to.deep.equal({ description: { error_type: ofp.OFPET.BAD_REQUEST, error_code: ofp.OFPBRC.EPERM }, code: 502 });
    });

    it('should answer 400 when the switch blames the request (output to a port above OFPP_MAX: BAD_ACTION/BAD_OUT_PORT)', async () => {
      const res = await t.http.post(`/api/test/prober/v1/flows/${dpid}/0/${0xffffff10}`);
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ description: { error_type: ofp.OFPET.BAD_ACTION, error_code: ofp.OFPBAC.BAD_OUT_PORT }, code: 400 });
    });
  });
});
