import type { AnyActorLogic, AnyActorRef } from 'xstate';
import type { TimerHandle } from './clock.js';
import type { Message } from './events.js';
import { BoundedMailbox } from './mailbox.js';

export interface RestartPolicy {
  /** First delay before a restart. */
  backoffMs: number;
  /** The delay doubles per consecutive crash, up to this. */
  maxBackoffMs: number;
  /** A run this long without crashing resets the backoff. */
  resetAfterMs: number;
}

export interface SpawnOptions {
  input?: unknown;
  /** Mailbox capacity; the system default when absent. */
  mailbox?: number;
  /** The actor told when this one crashes. */
  parent?: string;
  /** Restart on crash (the default) or let it stay failed. */
  restart?: false | Partial<RestartPolicy>;
  /**
   * Whether the actor takes its next message now. While false, messages wait
   * in the mailbox (e.g. a route handler with all its slots in flight).
   */
  accepts?: (snapshot: any) => boolean;
  /**
   * How a message reaches the actor (default: `actor.send(message)`). A host
   * actor may hand its messages straight to the child that handles them, as
   * its own transition would, to save the step.
   */
  deliver?: (actor: AnyActorRef, message: Message) => void;
  /** Kind shown by introspection ("route", "napp", "switch", ...). */
  kind?: string;
}

export type ActorStatus = 'running' | 'restarting' | 'failed' | 'stopped';

export interface ActorInfo {
  name: string;
  kind: string;
  status: ActorStatus;
  state: unknown;
  mailbox: { depth: number; capacity: number };
  processed: number;
  refused: number;
  restarts: number;
  lastError?: string;
  parent?: string;
}

export const DEFAULT_RESTART: RestartPolicy = { backoffMs: 100, maxBackoffMs: 30_000, resetAfterMs: 60_000 };

/** One actor as the system keeps it: its mailbox, its xstate actor, its supervision state. */
export class Cell {
  readonly mailbox: BoundedMailbox<Message>;
  actor!: AnyActorRef;
  status: ActorStatus = 'running';
  queued = false;
  processed = 0;
  refused = 0;
  restarts = 0;
  consecutiveCrashes = 0;
  startedAt = 0;
  lastError?: string;
  restartTimer?: TimerHandle;
  /** The message being handled, so a crash can fail its asker. */
  current?: Message;
  unsubscribe?: () => void;

  constructor(
    readonly name: string,
    readonly logic: AnyActorLogic,
    readonly options: SpawnOptions,
    capacity: number,
    readonly restart: RestartPolicy | false,
  ) {
    this.mailbox = new BoundedMailbox(capacity);
  }

  ready(): boolean {
    if (this.status !== 'running' || this.mailbox.isEmpty) return false;
    const accepts = this.options.accepts;
    return accepts ? accepts(this.actor.getSnapshot()) : true;
  }
}
