/**
 * The maintenance machine: decides, never does. It loads the stored windows,
 * moves overdue ones on, and then takes its routes' asks and its timers. Each
 * change is written first (`persist`); only once durable does it change the
 * context, (re)arm or cancel timers, publish topology's interruption and
 * answer (store -> emit -> reply). Effects are named actions provided by index.ts.
 */
import { assign, enqueueActions, setup } from 'xstate';
import {
  createMaintenance,
  deleteMaintenance,
  endMaintenance,
  extendMaintenance,
  getMaintenance,
  listMaintenances,
  updateMaintenance,
  type HeldInterruption,
  type Reply,
} from '#sdk';
import { decideCreate, decideDelete, decideDue, decideEnd, decideExtend, decideLoaded, decidePrune, decideUpdate, type Decision, type MaintenanceContext } from './decide.js';
import type { MaintenanceEvent, Write } from './events.js';
import type { Win } from './logic.js';

export type { MaintenanceContext };

type AnswerParams = { replyTo?: Reply<never>; value?: unknown; error?: unknown };

/** Stored windows in insertion order (ties keep their order): the context keeps that order from then on. */
const byInsertion = (a: Win, b: Win) => (a.inserted_at ?? '').localeCompare(b.inserted_at ?? '');

export const maintenanceMachine = setup({
  types: {
    context: {} as MaintenanceContext,
    events: {} as MaintenanceEvent,
  },
  actions: {
    /** Effects, provided by index.ts. */
    load: () => undefined,
    persist: (_, _p: Write) => undefined,
    schedule: (_, _p: { window: Win }) => undefined,
    unschedule: (_, _p: { id: string }) => undefined,
    interrupt: (_, _p: { phase: 'start' | 'end'; window: Win }) => undefined,
    /** Ends an interruption topology holds for no running window. */
    release: (_, _p: HeldInterruption) => undefined,
    answer: (_, _p: AnswerParams) => undefined,
    startPrune: () => undefined,
  },
}).createMachine({
  id: 'maintenance',
  context: { windows: {}, inflight: {}, waiting: [] },
  initial: 'loading',
  states: {
    loading: {
      entry: 'load',
      on: {
        'maintenance.loaded': {
          target: 'ready',
          actions: enqueueActions(({ enqueue, context, event }) => {
            const found = decideLoaded(event.windows, event.now, event.held);
            enqueue.assign({
              windows: Object.fromEntries([...event.windows].sort(byInsertion).map((w) => [w.id, w])),
              inflight: Object.fromEntries(found.writes.map((w) => [w.window.id, w.window])),
            });
            for (const h of found.release) enqueue({ type: 'release', params: h });
            for (const w of found.start) enqueue({ type: 'interrupt', params: { phase: 'start', window: w } });
            for (const w of found.schedule) enqueue({ type: 'schedule', params: { window: w } });
            for (const w of found.writes) enqueue({ type: 'persist', params: w });
            for (const e of context.waiting) enqueue.raise(e);
            enqueue.assign({ waiting: [] });
          }),
        },
        // Without its windows the NApp cannot answer: it stays loading (its asks time out).
        'maintenance.load_failed': {},
        // Asks that come before the windows are loaded wait for them.
        ...Object.fromEntries(
          [listMaintenances, getMaintenance, createMaintenance, updateMaintenance, deleteMaintenance, endMaintenance, extendMaintenance].map((a) => [
            a.type,
            { actions: assign({ waiting: ({ context, event }) => [...context.waiting, event] }) },
          ]),
        ),
      },
    },
    ready: {
      entry: 'startPrune',
      on: {
        'maintenance.prune': {
          actions: enqueueActions(({ enqueue, context, event }) => {
            const writes = decidePrune(context, event.now, event.retentionMs, event.batch);
            if (writes.length === 0) return;
            enqueue.assign({ inflight: ({ context: c }) => ({ ...c.inflight, ...Object.fromEntries(writes.map((w) => [w.window.id, w.window])) }) });
            for (const w of writes) enqueue({ type: 'persist', params: w });
          }),
        },
        [listMaintenances.type]: {
          actions: { type: 'answer', params: ({ context, event }) => ({ replyTo: event.replyTo as Reply<never>, value: Object.values(context.windows) }) },
        },
        [getMaintenance.type]: {
          actions: { type: 'answer', params: ({ context, event }) => ({ replyTo: event.replyTo as Reply<never>, value: context.windows[event.id] }) },
        },
        [createMaintenance.type]: { actions: enqueueActions(({ enqueue, context, event }) => apply(enqueue, decideCreate(context, event), event.replyTo)) },
        [updateMaintenance.type]: { actions: enqueueActions(({ enqueue, context, event }) => apply(enqueue, decideUpdate(context, event), event.replyTo)) },
        [deleteMaintenance.type]: { actions: enqueueActions(({ enqueue, context, event }) => apply(enqueue, decideDelete(context, event), event.replyTo)) },
        [endMaintenance.type]: { actions: enqueueActions(({ enqueue, context, event }) => apply(enqueue, decideEnd(context, event), event.replyTo)) },
        [extendMaintenance.type]: { actions: enqueueActions(({ enqueue, context, event }) => apply(enqueue, decideExtend(context, event), event.replyTo)) },
        'maintenance.due': {
          actions: enqueueActions(({ enqueue, context, event }) => {
            const write = decideDue(context, event);
            if (write) apply(enqueue, { write }, undefined);
          }),
        },
      },
    },
  },
  on: {
    'maintenance.persisted': {
      actions: enqueueActions(({ enqueue, event }) => {
        const { window } = event;
        enqueue.assign({
          windows: ({ context }) => {
            const windows = { ...context.windows };
            if (event.op === 'delete') delete windows[window.id];
            else windows[window.id] = window;
            return windows;
          },
          inflight: ({ context }) => without(context.inflight, window.id),
        });
        if (event.unschedule) enqueue({ type: 'unschedule', params: { id: window.id } });
        if (event.schedule) enqueue({ type: 'schedule', params: { window } });
        if (event.interrupt) enqueue({ type: 'interrupt', params: { phase: event.interrupt, window } });
        if (event.replyTo) enqueue({ type: 'answer', params: { replyTo: event.replyTo as Reply<never>, value: event.value } });
      }),
    },
    'maintenance.persist_failed': {
      actions: [
        assign({ inflight: ({ context, event }) => without(context.inflight, event.id) }),
        { type: 'answer', params: ({ event }) => ({ replyTo: event.replyTo as Reply<never>, error: event.error }) },
      ],
    },
  },
});

const without = (r: Record<string, Win>, id: string) => {
  const out = { ...r };
  delete out[id];
  return out;
};

/** Answers a refusal, or marks the window in flight and asks for its write. */
function apply(enqueue: any, d: Decision, replyTo: Reply<never> | undefined): void {
  if ('error' in d) {
    enqueue({ type: 'answer', params: { replyTo, error: d.error } });
    return;
  }
  const write: Write = { ...d.write, replyTo: replyTo as Reply<unknown> | undefined };
  enqueue.assign({ inflight: ({ context }: { context: MaintenanceContext }) => ({ ...context.inflight, [write.window.id]: write.window }) });
  enqueue({ type: 'persist', params: write });
}
