/**
 * Type-level tests of the catalogue, compiled by `npm run typecheck` (tsc):
 * every `@ts-expect-error` below must be an error, or the compile fails. They
 * prove a changed or misused payload is a type error in producer and consumer.
 */
import { setup } from 'xstate';
import {
  askMessage,
  defineEvent,
  emission,
  getSwitch,
  reply,
  switchReady,
  type AskMessage,
  type DeliveriesOf,
  type DeliveryOf,
  type NAppContext,
} from '../../src/sdk/index.js';

// A consumer reads the payload its producer declared...
export const dpidOf = (e: DeliveryOf<typeof switchReady>): string => e.content.dpid;
// ...and a field the payload does not have is an error.
// @ts-expect-error `datapath` is not in switch.ready's payload
export const wrongField = (e: DeliveryOf<typeof switchReady>): string => e.content.datapath;

// A producer must publish the whole payload.
// @ts-expect-error `features`, `ports`, ... are missing
export const partial = emission(switchReady, { dpid: '00:00:00:00:00:00:00:01' });

// A payload that changes (v2 renames `link` to `link_id`) breaks every consumer written against v1.
const linkUpV1 = defineEvent<{ link: string }>()('test/topology.link_up');
const linkUpV2 = defineEvent<{ link_id: string }>()('test/topology.link_up');
export const v1Consumer = (e: DeliveryOf<typeof linkUpV1>): string => e.content.link;
// @ts-expect-error the v1 consumer's field is gone in v2
export const v1ConsumerOnV2 = (e: DeliveryOf<typeof linkUpV2>): string => e.content.link;

// In a machine, `on: { [contract.type]: ... }` narrows the event to that payload.
const subscriptions = [switchReady, linkUpV2] as const;
export const machine = setup({ types: { events: {} as DeliveriesOf<typeof subscriptions> | AskMessage<typeof getSwitch> } }).createMachine({
  on: {
    [linkUpV2.type]: {
      actions: ({ event }) => {
        if (event.type !== linkUpV2.type) return;
        void event.content.link_id;
        // @ts-expect-error not in linkUpV2's payload
        void event.content.link;
      },
    },
    [getSwitch.type]: {
      actions: ({ event }) => {
        if (event.type !== getSwitch.type) return;
        reply(event, undefined);
        // @ts-expect-error the answer of getSwitch is a SwitchJson or undefined, not a number
        reply(event, 42);
      },
    },
  },
});

// Emitting and asking through the context are checked the same way.
export async function contextUse(ctx: NAppContext): Promise<void> {
  ctx.emit(linkUpV2, { link_id: 'x' });
  // @ts-expect-error wrong payload for linkUpV2
  ctx.emit(linkUpV2, { link: 'x' });
  const sw = await ctx.ask(getSwitch, { dpid: '00:00:00:00:00:00:00:01' });
  void sw?.dpid;
  // @ts-expect-error getSwitch takes a dpid
  await ctx.ask(getSwitch, { id: 1 });
  // @ts-expect-error a string is not a catalogue event
  ctx.emit('test/topology.link_up', {});
  void askMessage(getSwitch, { dpid: 'x' });
}
