import { createActor, type AnyActorLogic, type AnyActorRef, type Snapshot } from 'xstate';
import type { Logger } from 'pino';
import {
  ActorNotFoundError,
  ActorStoppedError,
  LatticeError,
  MailboxFullError,
  ShuttingDownError,
  ErrorCode,
} from '../errors/index.js';
import { sleep, xstateClock, type Clock, type XstateClock } from './clock.js';
import { DeadLetters, type DeadLetterReason } from './dead-letters.js';
import { EventBus } from './event-bus.js';
import { busEvent, childCrashed, type KytosEvent, type Message } from './events.js';
import { Cell, DEFAULT_RESTART, type ActorInfo, type RestartPolicy, type SpawnOptions } from './cell.js';
import { KeyedMutex } from './locks.js';
import { PendingAsks, type TimedReply } from './pending-asks.js';
import type { Reply } from './reply.js';
import { kytosTimestamp } from './time.js';
import { randomUUID } from 'node:crypto';

export interface ActorSystemOptions {
  clock: Clock;
  log: Logger;
  /** Default mailbox capacity. */
  mailboxCapacity?: number;
  /** Default `ask` timeout. */
  askTimeoutMs?: number;
  /** How late past its deadline an ask may fail (one sweep timer serves every ask). */
  askResolutionMs?: number;
  /** Dead letters kept per event name. */
  deadLettersPerName?: number;
  /** Dead letters kept in total (0: no cap but the per-name one). */
  deadLettersMax?: number;
  /** Dead letters older than this are dropped (0: no age limit). */
  deadLettersMaxAgeMs?: number;
  /** Messages one actor handles before others get a turn. */
  throughput?: number;
  /** Longest a delivery pass runs (on the clock's monotonic reading) before yielding to the event loop. */
  sliceMs?: number;
  /**
   * Most messages one delivery pass delivers before yielding, whatever the
   * clock says (a ManualClock's time stands still, so the slice alone would not end a busy pass).
   */
  passMessages?: number;
  /** Messages a chain of microtask passes delivers before passes move to setImmediate. */
  microBudget?: number;
  restart?: Partial<RestartPolicy>;
}


/** A handle to a spawned actor. */
export interface ActorHandle {
  readonly name: string;
  tell(message: Message): boolean;
  ask<R>(message: Message, timeoutMs?: number): Promise<R>;
  snapshot(): Snapshot<unknown> & { value?: unknown; context?: unknown };
}

/**
 * Actors on xstate v5 with what xstate leaves out: bounded mailboxes, dead
 * letters, fair delivery that yields to the event loop, supervision with
 * backoff, ask with timeout, and introspection.
 */
export class ActorSystem {
  readonly clock: Clock;
  /** The same clock as xstate takes it: delayed events and `after:` of every actor and its children. */
  private readonly actorClock: XstateClock;
  readonly log: Logger;
  readonly bus: EventBus;
  readonly deadLetters: DeadLetters;
  readonly locks = new KeyedMutex();

  private readonly cells = new Map<string, Cell>();
  private readonly runQueue: Cell[] = [];
  private pumpScheduled = false;
  private pumping = false;
  /** A direct step runs (see pumpDirect). */
  private direct = false;
  private chainDelivered = 0;
  private readonly microBudget: number;
  private readonly mailboxCapacity: number;
  private readonly askTimeoutMs: number;
  private readonly throughput: number;
  private readonly sliceMs: number;
  private readonly passMessages: number;
  private readonly restartDefaults: RestartPolicy;
  private readonly asks: PendingAsks;
  private closing = false;
  private crashes = 0;
  private refusals = 0;
  /** Restarts after a crash since start (kept past the actors' lives: a counter never goes down). */
  private restartsTotal = 0;
  /** Refusals by actor kind (kept past the actors' lives: a counter never goes down). */
  private readonly refusalsKind = new Map<string, number>();

  constructor(options: ActorSystemOptions) {
    this.clock = options.clock;
    this.actorClock = xstateClock(options.clock);
    this.log = options.log;
    this.mailboxCapacity = options.mailboxCapacity ?? 1024;
    this.askTimeoutMs = options.askTimeoutMs ?? 10_000;
    this.throughput = options.throughput ?? 32;
    this.sliceMs = options.sliceMs ?? 4;
    this.passMessages = options.passMessages ?? 65_536;
    this.microBudget = options.microBudget ?? 256;
    this.restartDefaults = { ...DEFAULT_RESTART, ...options.restart };
    this.asks = new PendingAsks(this.clock, options.askResolutionMs ?? 50);
    this.deadLetters = new DeadLetters(
      { maxPerName: options.deadLettersPerName ?? 50_000, maxTotal: options.deadLettersMax ?? 0, maxAgeMs: options.deadLettersMaxAgeMs ?? 0 },
      () => this.clock.now(),
    );
    this.bus = new EventBus({
      clock: this.clock,
      deadLetters: this.deadLetters,
      deliver: (actor, event) => this.deliverEvent(actor, event),
      onListenerError: (error, event) => this.log.warn({ err: error, event: event.name }, 'bus listener failed'),
    });
  }

  get crashCount(): number {
    return this.crashes;
  }

  get refusedCount(): number {
    return this.refusals;
  }

  /** Actor restarts after a crash since start, of live and stopped actors alike. */
  get restartCount(): number {
    return this.restartsTotal;
  }

  /** Messages refused by full mailboxes, by actor kind, since start. */
  refusalsByKind(): ReadonlyMap<string, number> {
    return this.refusalsKind;
  }

  /** Messages waiting now, by actor kind (without building the actor list). */
  mailboxDepthByKind(): Map<string, number> {
    const out = new Map<string, number>();
    for (const c of this.cells.values()) {
      const kind = c.options.kind ?? 'actor';
      out.set(kind, (out.get(kind) ?? 0) + c.mailbox.depth);
    }
    return out;
  }

  spawn(name: string, logic: AnyActorLogic, options: SpawnOptions = {}): ActorHandle {
    if (this.closing) throw new ShuttingDownError();
    if (this.cells.has(name)) throw new LatticeError(ErrorCode.ActorExists, `An actor named ${name} already exists`, { name });
    const restart = options.restart === false ? false : { ...this.restartDefaults, ...options.restart };
    const cell = new Cell(name, logic, options, options.mailbox ?? this.mailboxCapacity, restart);
    this.cells.set(name, cell);
    this.start(cell);
    return this.handle(name);
  }

  has(name: string): boolean {
    return this.cells.has(name);
  }

  handle(name: string): ActorHandle {
    return {
      name,
      tell: (m) => this.tell(name, m),
      ask: <R>(m: Message, t?: number) => this.ask<R>(name, m, t),
      snapshot: () => {
        const cell = this.cells.get(name);
        if (!cell) throw new ActorNotFoundError(name);
        return cell.actor.getSnapshot();
      },
    };
  }

  /** Queues a message; false (and a dead letter) when it is refused. */
  tell(to: string, message: Message): boolean {
    return this.enqueue(to, message, false);
  }

  /** Queues a message; with `pumpNow` the caller delivers it at once (pumpDirect). */
  private enqueue(to: string, message: Message, pumpNow: boolean): boolean {
    const cell = this.cells.get(to);
    if (!cell || cell.status === 'stopped') {
      this.bury(message, to, cell ? 'actor_stopped' : 'no_such_actor');
      return false;
    }
    if (cell.status === 'failed') {
      this.bury(message, to, 'actor_stopped');
      return false;
    }
    if (!cell.mailbox.offer(message)) {
      cell.refused++;
      this.refusals++;
      const kind = cell.options.kind ?? 'actor';
      this.refusalsKind.set(kind, (this.refusalsKind.get(kind) ?? 0) + 1);
      this.bury(message, to, 'mailbox_full');
      return false;
    }
    // With `pumpNow` the caller delivers it (pumpDirect), queued or not.
    if (!pumpNow) this.schedule(cell);
    return true;
  }

  /**
   * Sends a message with a reply channel and waits for the answer. Fails fast
   * when the mailbox is full, and with AskTimeoutError when no answer comes.
   */
  ask<R>(to: string, message: Message, timeoutMs = this.askTimeoutMs): Promise<R> {
    return this.askOwned<R>(to, { ...message }, timeoutMs);
  }

  /**
   * `ask` for a message object the caller made for this one ask and will not
   * touch again: the reply channel is attached to it instead of to a copy.
   */
  askOwned<R>(to: string, message: Message, timeoutMs = this.askTimeoutMs): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const cell = this.cells.get(to);
      if (!cell) return reject(new ActorNotFoundError(to));
      const replyTo = this.asks.create<R>(to, message.type, timeoutMs, resolve, reject);
      // The reply channel rides on the message itself (no copy of the message).
      (message as Message & { replyTo?: Reply<R> }).replyTo = replyTo;
      if (!this.tell(to, message)) {
        replyTo.reject(
          cell.status === 'running' || cell.status === 'restarting'
            ? new MailboxFullError(to, cell.mailbox.capacity)
            : new ActorStoppedError(to),
        );
      }
    });
  }

  /**
   * The allocation-free form of ask for hot paths: the caller's own reply
   * channel (its `deadline` from `askDeadline`) is attached to a message made
   * for this one ask, and timed out like any ask. The reply channel must call
   * `forgetAsk` when it settles.
   */
  askWith(to: string, message: Message, replyTo: TimedReply<any>, options: { direct?: boolean } = {}): void {
    const cell = this.cells.get(to);
    if (!cell) return replyTo.reject(new ActorNotFoundError(to));
    (message as Message & { replyTo?: Reply }).replyTo = replyTo;
    // From an I/O callback (never from inside an actor: no pass is running),
    // the asked actor's step can run now instead of as a microtask, so that a
    // quick answer is written while the caller still holds its socket corked;
    // an answer given within the step needs no timeout tracking at all.
    const direct = options.direct === true && !this.pumping;
    if (!this.enqueue(to, message, direct)) {
      replyTo.reject(
        cell.status === 'running' || cell.status === 'restarting' ? new MailboxFullError(to, cell.mailbox.capacity) : new ActorStoppedError(to),
      );
      return;
    }
    if (direct) this.pumpDirect(cell);
    if (!replyTo.settled) this.asks.track(replyTo);
  }

  askDeadline(timeoutMs: number): number {
    return this.asks.deadline(timeoutMs);
  }

  forgetAsk(replyTo: TimedReply<any>): void {
    this.asks.forget(replyTo);
  }

  /** Stops an actor; queued asks fail with ActorStoppedError. */
  stop(name: string): void {
    const cell = this.cells.get(name);
    if (!cell) return;
    this.cells.delete(name);
    this.bus.unsubscribeActor(name);
    this.clock.clearTimeout(cell.restartTimer);
    cell.status = 'stopped';
    cell.unsubscribe?.();
    try {
      cell.actor.stop();
    } catch (error) {
      this.log.warn({ err: error, actor: name }, 'actor stop failed');
    }
    for (const m of cell.mailbox.drain()) this.failQueued(m, name);
  }

  list(): ActorInfo[] {
    return [...this.cells.values()].map((c) => this.info(c));
  }

  info(nameOrCell: string | Cell): ActorInfo {
    const cell = typeof nameOrCell === 'string' ? this.cells.get(nameOrCell) : nameOrCell;
    if (!cell) throw new ActorNotFoundError(String(nameOrCell));
    // Machines show their state value; reducer actors keep theirs in `context.value`.
    const snap = cell.actor.getSnapshot() as { value?: unknown; context?: { value?: unknown } };
    const out: ActorInfo = {
      name: cell.name,
      kind: cell.options.kind ?? 'actor',
      status: cell.status,
      state: snap?.value ?? snap?.context?.value ?? null,
      mailbox: { depth: cell.mailbox.depth, capacity: cell.mailbox.capacity },
      processed: cell.processed,
      refused: cell.refused,
      restarts: cell.restarts,
    };
    if (cell.lastError) out.lastError = cell.lastError;
    if (cell.options.parent) out.parent = cell.options.parent;
    return out;
  }

  /** Total messages waiting in every mailbox. */
  queuedMessages(): number {
    let n = 0;
    for (const c of this.cells.values()) n += c.mailbox.depth;
    return n;
  }

  /**
   * Waits until every mailbox is empty and `idle()` says the rest of the work
   * is done, or the deadline passes. Resolves true when drained.
   */
  async drain(timeoutMs: number, idle: () => boolean = () => true): Promise<boolean> {
    const deadline = this.clock.monotonic() + timeoutMs;
    while (this.clock.monotonic() < deadline) {
      if (this.queuedMessages() === 0 && idle()) return true;
      await sleep(this.clock, 5);
    }
    return this.queuedMessages() === 0 && idle();
  }

  /** Refuses new actors and stops every actor, newest first. */
  shutdown(): void {
    this.closing = true;
    this.asks.stop();
    for (const name of [...this.cells.keys()].reverse()) this.stop(name);
  }

  // ---- internals ----

  private start(cell: Cell): void {
    const actor = createActor(cell.logic, { input: cell.options.input as never, clock: this.actorClock });
    cell.actor = actor;
    cell.startedAt = this.clock.now();
    cell.status = 'running';
    const sub = actor.subscribe({
      next: () => {
        // A state change may let the actor take more messages.
        if (!cell.mailbox.isEmpty) this.schedule(cell);
      },
      error: (error: unknown) => this.crashed(cell, actor, error),
      complete: () => {
        if (this.cells.get(cell.name) === cell && cell.actor === actor && cell.status === 'running') {
          this.log.debug({ actor: cell.name }, 'actor reached a final state');
          this.stop(cell.name);
        }
      },
    });
    cell.unsubscribe = () => sub.unsubscribe();
    actor.start();
    if (!cell.mailbox.isEmpty) this.schedule(cell);
  }

  private crashed(cell: Cell, actor: AnyActorRef, error: unknown): void {
    if (cell.actor !== actor || cell.status !== 'running') return;
    this.crashes++;
    const message = error instanceof Error ? error.message : String(error);
    cell.lastError = message;
    if (cell.current) {
      const failed = cell.current;
      cell.current = undefined;
      (failed.replyTo as Reply | undefined)?.reject(error);
      this.bury(failed, cell.name, 'actor_crashed');
    }
    cell.unsubscribe?.();
    const now = this.clock.now();
    if (cell.restart && now - cell.startedAt >= cell.restart.resetAfterMs) cell.consecutiveCrashes = 0;
    cell.consecutiveCrashes++;
    this.log.error({ actor: cell.name, err: error, restarts: cell.restarts }, 'actor crashed');
    if (cell.options.parent && cell.options.parent !== cell.name) {
      this.tell(cell.options.parent, childCrashed(cell.name, message, cell.restarts));
    }
    this.bus.publish('lattice/core.actor.crashed', { actor: cell.name, error: message, restarts: cell.restarts });
    if (!cell.restart) {
      cell.status = 'failed';
      for (const m of cell.mailbox.drain()) this.failQueued(m, cell.name);
      return;
    }
    cell.status = 'restarting';
    const delay = Math.min(cell.restart.maxBackoffMs, cell.restart.backoffMs * 2 ** (cell.consecutiveCrashes - 1));
    cell.restartTimer = this.clock.setTimeout(() => {
      if (this.cells.get(cell.name) !== cell || cell.status !== 'restarting') return;
      cell.restarts++;
      this.restartsTotal++;
      this.log.info({ actor: cell.name, restarts: cell.restarts, delayMs: delay }, 'actor restarted');
      this.start(cell);
    }, delay);
  }

  private failQueued(message: Message, name: string): void {
    (message.replyTo as Reply | undefined)?.reject(new ActorStoppedError(name));
    this.bury(message, name, 'actor_stopped');
  }

  private deliverEvent(actor: string, event: KytosEvent): boolean {
    return this.tell(actor, busEvent(event));
  }

  /** Records a message nobody could take. Bus events keep their identity. */
  private bury(message: Message, target: string, reason: DeadLetterReason): void {
    if (message.type === 'bus.event' && message.event) {
      const event = message.event as KytosEvent;
      this.deadLetters.add({ ...event, reason, target });
      return;
    }
    const { replyTo: _replyTo, ...rest } = message;
    const content: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rest)) if (typeof v !== 'function') content[k] = v;
    this.deadLetters.add(
      {
        id: randomUUID(),
        name: `lattice/actor.${target}.${message.type}`,
        content,
        timestamp: kytosTimestamp(this.clock.now()),
        reinjections: 0,
        reason,
        target,
      },
      _replyTo ? undefined : message,
    );
  }

  /** Re-delivers dead letters: bus events are published again, direct messages told again. */
  reinject(entries: { letter: { name: string; target?: string; reinjections: number } & KytosEvent; message?: Message }[]): void {
    for (const { letter, message } of entries) {
      if (message && letter.target) {
        this.tell(letter.target, message);
      } else {
        const { reason: _r, target: _t, ...event } = letter as KytosEvent & { reason?: string; target?: string };
        this.bus.republish(event);
      }
    }
  }

  /**
   * Delivery runs as a microtask right after the code that queued the message,
   * so a burst of requests does not pile up in mailboxes while actors have room.
   * Messages that actors send each other during a pass chain further passes;
   * once a chain has delivered `microBudget` messages, or a pass has run
   * `sliceMs` or delivered `passMessages`, the next pass waits for setImmediate, so timers and I/O get
   * their turn and no actor can starve the event loop.
   */
  private schedule(cell: Cell): void {
    if (cell.queued) return;
    cell.queued = true;
    this.runQueue.push(cell);
    // A direct step's messages to others wait for the pass it schedules when it is over.
    if (this.pumpScheduled || this.direct) return;
    this.pumpScheduled = true;
    if (!this.pumping) this.chainDelivered = 0;
    if (this.chainDelivered < this.microBudget) queueMicrotask(this.pump);
    else setImmediate(this.pump);
  }

  /**
   * The direct step, from an I/O callback: the asked actor alone takes its messages now. What it
   * queued for other actors (a NApp told or asked by a route) runs in a pass after the callback
   * has returned (setImmediate), because uWebSockets.js sends what the callback wrote only when
   * the callback returns, microtasks included: work done before that would delay an answer
   * already written. An I/O callback starts a new chain: what earlier callbacks delivered does
   * not count against it.
   */
  private pumpDirect(cell: Cell): void {
    this.chainDelivered = 0;
    this.pumping = true;
    this.direct = true;
    let n = 0;
    try {
      if (this.cells.get(cell.name) !== cell) return;
      n = this.deliverTo(cell);
      // Still direct: queued for the pass below, not a microtask.
      if (cell.ready()) this.schedule(cell);
    } finally {
      this.pumping = false;
      this.direct = false;
      this.chainDelivered += n;
      this.passAfterIo();
    }
  }

  /** What still waits in the run queue gets a pass after the I/O callbacks (setImmediate). */
  private passAfterIo(): void {
    if (this.runQueue.length > 0 && !this.pumpScheduled) {
      this.pumpScheduled = true;
      setImmediate(this.pump);
    }
  }

  /** Up to `throughput` messages to one actor while it takes them; how many. */
  private deliverTo(cell: Cell): number {
    const deliver = cell.options.deliver;
    let n = 0;
    while (n < this.throughput && cell.ready()) {
      const message = cell.mailbox.poll()!;
      cell.current = message;
      cell.processed++;
      if (deliver) deliver(cell.actor, message);
      else cell.actor.send(message);
      cell.current = undefined;
      n++;
    }
    return n;
  }

  /** One delivery pass: round-robin over ready actors, bounded in time. */
  private readonly pump = (): void => {
    this.pumpScheduled = false;
    this.pumping = true;
    const started = this.clock.monotonic();
    let rounds = 0;
    let delivered = 0;
    let passDelivered = 0;
    try {
      while (this.runQueue.length > 0) {
        const cell = this.runQueue.shift()!;
        cell.queued = false;
        if (this.cells.get(cell.name) !== cell) continue;
        const n = this.deliverTo(cell);
        delivered += n;
        passDelivered += n;
        if (cell.ready()) {
          this.chainDelivered += delivered;
          delivered = 0;
          this.schedule(cell);
        }
        if (passDelivered >= this.passMessages) break;
        if ((++rounds & 15) === 0 && this.clock.monotonic() - started > this.sliceMs) break;
      }
    } finally {
      this.pumping = false;
      this.chainDelivered += delivered;
    }
    this.passAfterIo();
  };
}
