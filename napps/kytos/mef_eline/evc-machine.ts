/**
 * The life of one EVC as an explicit state machine. Every operation on an EVC
 * (deploy, failover, redeploy, removal) runs under that EVC's lock and moves
 * it through a transient state (`deploying`, `failing_over`, `undeploying`)
 * back to a stable one (`disabled`, `idle`, `active`, `archived`); an event
 * the current state does not take is refused, so two link events can never
 * interleave on one EVC. The service steps it through a table read from the machine (below).
 */
import { setup } from 'xstate';

export type EvcMachineEvent =
  | { type: 'enable' }
  | { type: 'disable' }
  | { type: 'deploy' }
  | { type: 'deployed' }
  | { type: 'failed' }
  | { type: 'link_down' }
  | { type: 'undeploy' }
  | { type: 'undeployed' }
  | { type: 'archive' };

export const evcMachine = setup({ types: { events: {} as EvcMachineEvent, input: {} as { state?: StableState } } }).createMachine({
  id: 'evc',
  initial: 'disabled',
  states: {
    /** Not enabled: holds no path. */
    disabled: { on: { enable: 'idle', archive: 'archived' } },
    /** Enabled, no path deployed (waiting for one). */
    idle: { on: { deploy: 'deploying', disable: 'disabled', archive: 'archived' } },
    /** Taking tags and installing flows. */
    deploying: { on: { deployed: 'active', failed: 'idle' } },
    /** Forwarding on `current_path`. */
    active: { on: { link_down: 'failing_over', undeploy: 'undeploying', deploy: 'deploying' } },
    /** A link of a path went down: swapping to the failover, or redeploying. */
    failing_over: { on: { deployed: 'active', failed: 'idle' } },
    /** Removing flows and giving tags back. */
    undeploying: { on: { undeployed: 'idle' } },
    /** Soft-deleted: final. */
    archived: { type: 'final' },
  },
});

export type StableState = 'disabled' | 'idle' | 'active' | 'archived';
export type EvcState = StableState | 'deploying' | 'failing_over' | 'undeploying';

/**
 * An EVC's place in the machine. The machine above is the one definition; a
 * step reads its transitions from a table built once from it (the machine
 * has no guards, actions or context), because xstate's `transition` costs
 * some 100 µs a step and a failover steps every affected EVC twice.
 * `TRANSITIONS` is checked against xstate's own `transition` by a test.
 */
export interface EvcSnapshot {
  readonly value: EvcState;
}

/** state -> event type -> next state, read from the machine's definition. */
export const TRANSITIONS: ReadonlyMap<EvcState, ReadonlyMap<EvcMachineEvent['type'], EvcState>> = new Map(
  Object.entries(evcMachine.config.states ?? {}).map(([state, node]) => [
    state as EvcState,
    new Map(Object.entries((node as { on?: Record<string, string> }).on ?? {}).map(([event, target]) => [event as EvcMachineEvent['type'], target as EvcState])),
  ]),
);

const SNAPSHOTS = new Map([...TRANSITIONS.keys()].map((state) => [state, Object.freeze({ value: state })]));

/** A snapshot in `state` (restored EVCs start in their stable state). */
export function snapshotIn(state: EvcState): EvcSnapshot {
  return SNAPSHOTS.get(state)!;
}

/** The next state, or undefined when `state` does not take `event`. */
export function next(snapshot: EvcSnapshot, event: EvcMachineEvent): EvcSnapshot | undefined {
  const to = TRANSITIONS.get(snapshot.value)?.get(event.type);
  return to === undefined ? undefined : snapshotIn(to);
}

export const stateOf = (s: EvcSnapshot): EvcState => s.value;
