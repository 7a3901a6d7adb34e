import { assign, fromPromise, sendTo, setup, type AnyActorRef, type AnyStateMachine } from 'xstate';
import { toDelivery, type BusEventMessage, type Message, type NAppContext, type NAppDefinition } from '../../src/sdk/index.js';
import type { NAppHostEvent } from './events.js';

/** What the host needs from the platform, injected by the NApp manager. */
export interface NAppHostInput {
  definition: NAppDefinition<any>;
  ctx: NAppContext<any>;
  /** Computes the NApp's routes and subscriptions (throws on a broken NApp: it is then failed). */
  prepare(): void;
  /** Mounts what `prepare` computed (again, after a restart). */
  attach(): void;
  /** Removes what the NApp installed: its timers, routes and subscriptions. */
  detach(): void;
  /** Reports a lifecycle change (for logs and the core API). */
  report(state: string, error?: unknown): void;
}

interface HostContext extends NAppHostInput {
  behaviour?: AnyStateMachine;
  error?: string;
}

const BEHAVIOUR = 'behaviour';

/** What the behaviour receives for a message to the NApp. */
const forwarded = (message: Message): { type: string } => (message.type === 'bus.event' ? toDelivery((message as BusEventMessage).event) : message);

/** The host's own lifecycle messages: every other message, while running, is the behaviour's. */
const LIFECYCLE = new Set(['napp.stop', 'napp.start']);

/**
 * The actor that is one NApp: loading -> setup -> running -> stopping ->
 * stopped, or failed. While running, every message sent to the NApp (bus
 * events included) goes to the NApp's own behaviour machine.
 */
export const nappHostMachine = setup({
  types: {
    context: {} as HostContext,
    input: {} as NAppHostInput,
    events: {} as NAppHostEvent,
  },
  actors: {
    /** A clean slate first: a NApp restarted (after a crash or a disable) keeps nothing of its previous run. */
    runSetup: fromPromise<void, NAppHostInput>(async ({ input }) => {
      input.detach();
      await input.definition.setup?.(input.ctx);
      input.prepare();
    }),
    runShutdown: fromPromise<void, NAppHostInput>(async ({ input }) => {
      await input.definition.shutdown?.(input.ctx);
    }),
    /** Placeholder: `nappHostLogic` provides each NApp's own behaviour machine. */
    behaviour: setup({}).createMachine({}),
  },
  actions: {
    attach: ({ context }) => context.attach(),
    detach: ({ context }) => context.detach(),
    reportRunning: ({ context }) => context.report('running'),
    reportStopped: ({ context }) => context.report('stopped'),
    /** Stopped all the same, but the manager learns the shutdown failed (the process then exits non-zero). */
    reportShutdownFailed: ({ context, event }) => context.report('stopped', (event as { error?: unknown }).error),
    reportFailed: ({ context, event }) => context.report('failed', (event as { error?: unknown }).error),
    keepError: assign({ error: ({ event }) => String((event as { error?: unknown }).error) }),
    /** Bus events reach the behaviour typed by name (`{ type: <event name>, content, event }`); other messages as sent. */
    forward: sendTo(BEHAVIOUR, ({ event }) => forwarded(event as Message)),
    /** A behaviour that crashes takes the NApp down; its supervisor restarts it. */
    crash: ({ event }) => {
      throw (event as { error?: unknown }).error ?? new Error('NApp behaviour crashed');
    },
  },
}).createMachine({
  id: 'napp-host',
  context: ({ input }) => ({ ...input }),
  initial: 'loading',
  states: {
    loading: {
      always: 'setup',
    },
    setup: {
      invoke: {
        src: 'runSetup',
        input: ({ context }) => context,
        onDone: 'running',
        onError: { target: 'failed', actions: ['keepError', 'reportFailed'] },
      },
    },
    running: {
      entry: ['attach', 'reportRunning'],
      invoke: {
        id: BEHAVIOUR,
        src: 'behaviour',
        input: ({ context }) => context.ctx,
        onError: { actions: 'crash' },
      },
      on: {
        'napp.stop': 'stopping',
        'napp.start': {},
        '*': { actions: 'forward' },
      },
    },
    /** Like Kytos' unload: the NApp's shutdown runs first, then its routes, subscriptions and timers go. */
    stopping: {
      invoke: {
        src: 'runShutdown',
        input: ({ context }) => context,
        onDone: { target: 'stopped', actions: ['detach', 'reportStopped'] },
        onError: { target: 'stopped', actions: ['keepError', 'detach', 'reportShutdownFailed'] },
      },
    },
    stopped: {
      on: { 'napp.start': 'loading' },
    },
    failed: {
      on: { 'napp.start': 'loading', 'napp.stop': { target: 'stopped', actions: 'detach' } },
    },
  },
});

/** A NApp takes messages only while running or stopped (where they are ignored). */
export const nappHostAccepts = (snapshot: { value: unknown }): boolean => snapshot.value !== 'setup' && snapshot.value !== 'stopping';

/**
 * How the actor system delivers a message to a NApp host: while running, what
 * the host's `'*': forward` transition would do, done directly (the message
 * goes to the behaviour, a bus event as its delivery), saving the host's own
 * step; lifecycle messages, and every message in any other state, go through
 * the host machine. A behaviour that throws still crashes the host (xstate
 * reports a child's error to its parent whoever sent the message).
 */
export function nappHostDeliver(actor: AnyActorRef, message: Message): void {
  const behaviour = LIFECYCLE.has(message.type) ? undefined : runningBehaviour(actor);
  if (behaviour) behaviour.send(forwarded(message));
  else actor.send(message);
}

function runningBehaviour(actor: AnyActorRef): AnyActorRef | undefined {
  const snapshot = actor.getSnapshot() as { status: string; value: unknown; children: Record<string, AnyActorRef | undefined> };
  if (snapshot.status !== 'active' || snapshot.value !== 'running') return undefined;
  const child = snapshot.children[BEHAVIOUR];
  return child?.getSnapshot().status === 'active' ? child : undefined;
}

/** The host for one NApp, with its behaviour machine (built from its context) plugged in. */
export function nappHostLogic(definition: NAppDefinition<any>, ctx: NAppContext<any>): AnyStateMachine {
  const behaviour = definition.machine ? definition.machine(ctx) : setup({}).createMachine({});
  return nappHostMachine.provide({ actors: { behaviour } }) as unknown as AnyStateMachine;
}
