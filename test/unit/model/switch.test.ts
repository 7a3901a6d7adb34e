import { expect } from 'chai';
import {
  formatDpid,
  parseDpid,
  interfaceFromPort,
  interfaceToJson,
  newSwitch,
  switchToJson,
  withInterface,
  portSpeed,
  PORT_LOCAL,
} from '../../../src/model/index.js';

const dpid = '00:00:00:00:00:00:00:01';
const port1 = {
  portNo: 1,
  hwAddr: Buffer.from([0x8e, 0x5c, 0x7a, 0x11, 0x22, 0x33]),
  name: 's1-eth1',
  config: 0,
  state: 4, // LIVE
  curr: (1 << 6) | (1 << 11), // 10GB_FD | COPPER
  currSpeed: 10_000_000,
};

describe('model dpid', () => {
  it('should format and parse Kytos colon-form dpids', () => {
    expect(formatDpid(1n)).to.equal(dpid);
    expect(formatDpid('0000000000000001')).to.equal(dpid);
    expect(formatDpid(0xabcdef)).to.equal('00:00:00:00:00:ab:cd:ef');
    expect(parseDpid('00:00:00:00:00:00:01:00')).to.equal(256n);
    expect(() => formatDpid('xyz')).to.throw(RangeError);
  });
});

describe('model Interface', () => {
  it('should give the Kytos JSON with the same keys in the same order', () => {
    const json = interfaceToJson(interfaceFromPort(dpid, port1));
    expect(JSON.stringify(json)).to.equal(
      '{"id":"00:00:00:00:00:00:00:01:1","name":"s1-eth1","port_number":1,"mac":"8e:5c:7a:11:22:33",' +
        '"switch":"00:00:00:00:00:00:00:01","type":"interface","nni":false,"uni":true,"speed":1250000000,' +
        '"metadata":{},"lldp":true,"active":true,"enabled":true,"status":"UP","status_reason":[],"link":""}',
    );
  });

  it('should mark a non-LIVE port inactive and DOWN, but the LOCAL port always active', () => {
    const down = interfaceToJson(interfaceFromPort(dpid, { ...port1, state: 1 }));
    expect(down.active).to.equal(false);
    expect(down.status).to.equal('DOWN');
    expect(down.status_reason).to.deep.equal(['deactivated']);
    const local = interfaceToJson(
      interfaceFromPort(dpid, { ...port1, portNo: PORT_LOCAL, name: 's1', state: 1, curr: 0, currSpeed: 0 }),
    );
    expect(local.active).to.equal(true);
    expect(local.speed).to.equal(0);
    expect(local.id).to.equal('00:00:00:00:00:00:00:01:4294967294');
  });

  it('should compute speeds in bytes per second', () => {
    expect(portSpeed({ portNo: 1, curr: 1 << 5, currSpeed: 0 })).to.equal(125_000_000);
    expect(portSpeed({ portNo: 1, curr: 0, currSpeed: 0 })).to.equal(null);
    expect(portSpeed({ portNo: 1, curr: 0, currSpeed: 1000 })).to.equal(125_000);
  });

  it('should keep admin fields (enabled, link, metadata) across an update', () => {
    const first = { ...interfaceFromPort(dpid, port1), enabled: false, link: 'abc', metadata: { a: 1 } };
    const next = interfaceToJson(interfaceFromPort(dpid, { ...port1, state: 1 }, first));
    expect(next.enabled).to.equal(false);
    expect(next.status).to.equal('DISABLED');
    expect(next.status_reason).to.deep.equal(['disabled', 'deactivated']);
    expect(next.link).to.equal('abc');
    expect(next.metadata).to.deep.equal({ a: 1 });
  });
});

describe('model Switch', () => {
  it('should give the Kytos JSON with the same keys in the same order', () => {
    const sw = withInterface(
      newSwitch(dpid, {
        connection: '127.0.0.1:52314',
        ofpVersion: '0x04',
        description: { manufacturer: 'Nicira, Inc.', hardware: 'Open vSwitch', software: '3.1.0', serial: 'None', dataPath: 's1' },
        active: true,
      }),
      interfaceFromPort(dpid, port1),
    );
    const json = switchToJson(sw);
    expect(Object.keys(json)).to.deep.equal([
      'id', 'name', 'dpid', 'connection', 'ofp_version', 'type', 'manufacturer', 'serial', 'hardware',
      'software', 'data_path', 'interfaces', 'metadata', 'active', 'enabled', 'status', 'status_reason',
    ]);
    expect(json.status).to.equal('UP');
    expect(Object.keys(json.interfaces)).to.deep.equal(['00:00:00:00:00:00:00:01:1']);
    expect(json.software).to.equal('3.1.0');
  });

  it('should report an empty connection and null ofp_version when disconnected', () => {
    const json = switchToJson(newSwitch(dpid, { ofpVersion: '0x04' }));
    expect(json.connection).to.equal('');
    expect(json.ofp_version).to.equal(null);
    expect(json.active).to.equal(false);
    expect(json.status).to.equal('DOWN');
  });
});
