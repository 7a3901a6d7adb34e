/**
 * Messages the mef_eline machine takes: topology's link and interface events,
 * flow_manager's flow events, and the `getEvcs` ask.
 */
import {
  checkEvcFlows,
  flowError,
  flowRemoved,
  getEvcs,
  interfaceLinkDown,
  interfaceLinkUp,
  topologyInterfaceDown,
  topologyInterfaceUp,
  topologyLinkDown,
  topologyLinkUp,
  type AskMessage,
  type DeliveriesOf,
} from '#sdk';

export const SUBSCRIPTIONS = [topologyLinkDown, topologyLinkUp, topologyInterfaceUp, topologyInterfaceDown, interfaceLinkUp, interfaceLinkDown, flowRemoved, flowError] as const;

/** A consistency round is due (timer). */
export interface ConsistencyTick {
  type: 'mef_eline.consistency.tick';
}
export const consistencyTick = (): ConsistencyTick => ({ type: 'mef_eline.consistency.tick' });

/** A pruning pass of archived EVCs is due (timer). */
export interface PruneTick {
  type: 'mef_eline.prune.tick';
}
export const pruneTick = (): PruneTick => ({ type: 'mef_eline.prune.tick' });

export type MefElineEvent = DeliveriesOf<typeof SUBSCRIPTIONS> | AskMessage<typeof getEvcs> | AskMessage<typeof checkEvcFlows> | ConsistencyTick | PruneTick;
