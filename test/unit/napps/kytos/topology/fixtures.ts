/** Kytos JSON of switches and interfaces as of_core publishes them, for stepping topology. */
import { interfaceFromPort, interfaceToJson, newSwitch, switchToJson, withInterface, type InterfaceJson, type SwitchJson } from '../../../../../src/sdk/index.js';

export const dpid = (n: number) => `00:00:00:00:00:00:00:${n.toString(16).padStart(2, '0')}`;

export function port(sw: number, no: number, live = true): InterfaceJson {
  return interfaceToJson(
    interfaceFromPort(dpid(sw), { portNo: no, hwAddr: `02:00:00:00:${sw.toString(16).padStart(2, '0')}:${no.toString(16).padStart(2, '0')}`, name: `s${sw}-eth${no}`, config: 0, state: live ? 4 : 1, curr: 1 << 6, currSpeed: 0 }),
  );
}

export function switchJson(n: number, ports: number[]): SwitchJson {
  let sw = newSwitch(dpid(n), {
    connection: `127.0.0.1:${40000 + n}`,
    ofpVersion: '0x04',
    active: true,
    description: { manufacturer: 'Nicira, Inc.', hardware: 'Open vSwitch', software: '3.1.0', serial: 'None', dataPath: `s${n}` },
  });
  for (const p of ports) sw = withInterface(sw, interfaceFromPort(dpid(n), { portNo: p, hwAddr: '02:00:00:00:00:01', name: `s${n}-eth${p}`, config: 0, state: 4, curr: 1 << 6, currSpeed: 0 }));
  return switchToJson(sw);
}
