/**
 * The life of one EVC as an explicit state machine. Every operation on an EVC
 * (deploy, failover, redeploy, removal) runs under that EVC's lock and moves
 * it through a transient state (`deploying`, `failing_over`, `undeploying`)
 * back to a stable one (`disabled`, `idle`, `active`, `archived`); an event
 * the current state does not take is refused, so two link events can never
 * interleave on one EVC. The service steps it with xstate's pure `transition`.
 */
import { initialTransition, setup, transition, type SnapshotFrom } from 'xstate';

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

export type EvcSnapshot = SnapshotFrom<typeof evcMachine>;
export type StableState = 'disabled' | 'idle' | 'active' | 'archived';
export type EvcState = StableState | 'deploying' | 'failing_over' | 'undeploying';

/** A machine snapshot in `state` (restored EVCs start in their stable state). */
export function snapshotIn(state: StableState): EvcSnapshot {
  const [s] = initialTransition(evcMachine, {});
  return evcMachine.resolveState({ ...s, value: state });
}

/** The next state, or undefined when `state` does not take `event`. */
export function next(snapshot: EvcSnapshot, event: EvcMachineEvent): EvcSnapshot | undefined {
  if (!snapshot.can(event)) return undefined;
  const [s] = transition(evcMachine, snapshot, event);
  return s;
}

export const stateOf = (s: EvcSnapshot): EvcState => s.value as EvcState;
