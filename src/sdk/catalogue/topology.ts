/**
 * Contracts of kytos/topology (kytos-api.md 2.2). The topology NApp adds the
 * rest of its events, asks and tag-pool operations here as it lands.
 */
import type { SwitchJson } from '../../model/index.js';
import { defineAsk, defineEvent } from '../contract.js';

export const TOPOLOGY = 'kytos/topology';

/** One switch as topology knows it (admin state included), or undefined when unknown. */
export const getTopologySwitch = defineAsk<{ dpid: string }, SwitchJson | undefined>()(TOPOLOGY, 'topology.switch.get');

export const topologySwitchEnabled = defineEvent<{ dpid: string }>()('kytos/topology.switch.enabled');
export const topologySwitchDisabled = defineEvent<{ dpid: string }>()('kytos/topology.switch.disabled');
