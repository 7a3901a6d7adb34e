/** kytos/maintenance: scheduled maintenance windows (kytos-api.md 2.7), in the one NApp style. */
import {
  defineNApp,
  getTopology,
  interruptionEnd,
  interruptionStart,
  listInterruptions,
  reply,
  replyError,
  ConflictError,
  type NAppContext,
  type Reply,
  type TimerHandle,
} from '#sdk';
import manifest from './manifest.json' with { type: 'json' };
import { expand, type Win } from './logic.js';
import { maintenanceMachine } from './machine.js';
import { routes } from './routes.js';
import { windowsCollection } from './store.js';
import { importKytos } from './import-kytos.js';
import { defaults, type MaintenanceSettings } from './settings.js';

/** The longest delay a Node timer takes; later edges are reached in hops. */
const MAX_DELAY = 2 ** 31 - 1;
/** Delay before a timer-driven write that failed is tried again. */
const RETRY_MS = 1000;

/** The machine with its effects bound to the NApp's context. */
export function maintenanceLogic(ctx: NAppContext<MaintenanceSettings>) {
  const windows = windowsCollection(ctx);
  const timers = new Map<string, TimerHandle>();
  // Interruptions are published in the order decided, each after its topology read.
  let interruptions: Promise<void> = Promise.resolve();

  const unschedule = (id: string) => {
    ctx.timers.clear(timers.get(id));
    timers.delete(id);
  };
  const arm = (id: string, edge: 'start' | 'end', at: number) => {
    const delay = at - ctx.clock.now();
    const handle = ctx.timers.setTimeout(
      () => {
        timers.delete(id);
        if (delay > MAX_DELAY) arm(id, edge, at);
        else ctx.tell(ctx.self, { type: 'maintenance.due', id, edge, now: ctx.clock.now() });
      },
      Math.max(0, Math.min(delay, MAX_DELAY)),
    );
    timers.set(id, handle);
  };

  return maintenanceMachine.provide({
    actions: {
      load: () => {
        Promise.all([windows.all(), held(ctx)]).then(
          ([all, h]) => ctx.tell(ctx.self, { type: 'maintenance.loaded', windows: all, now: ctx.clock.now(), held: h }),
          (error: unknown) => {
            ctx.log.error({ err: error }, 'maintenance: cannot read the stored windows');
            ctx.tell(ctx.self, { type: 'maintenance.load_failed', error });
          },
        );
      },
      persist: (_, w) => {
        const write = w.op === 'delete' ? windows.delete(w.window.id) : w.op === 'create' ? windows.create(w.window) : windows.put(w.window);
        write.then(
          () => ctx.tell(ctx.self, { ...w, type: 'maintenance.persisted' }),
          (e: unknown) => {
            const error = (e as { name?: unknown } | null)?.name === 'StoreConflictError' ? new ConflictError(`Window with id: ${w.window.id} already exists`) : e;
            ctx.tell(ctx.self, { type: 'maintenance.persist_failed', id: w.window.id, error, replyTo: w.replyTo });
            if (!w.replyTo && w.op === 'put') {
              // A start or end nobody waits for: tried again until the store takes it.
              ctx.log.error({ err: e, id: w.window.id }, `maintenance: a window change was not stored; retrying in ${RETRY_MS} ms`);
              const edge = w.window.status === 'running' ? 'start' : 'end';
              ctx.timers.setTimeout(() => ctx.tell(ctx.self, { type: 'maintenance.due', id: w.window.id, edge, now: ctx.clock.now() }), RETRY_MS);
            }
          },
        );
      },
      schedule: (_, { window }) => {
        unschedule(window.id);
        if (window.status === 'pending') arm(window.id, 'start', Date.parse(window.start));
        else if (window.status === 'running') arm(window.id, 'end', Date.parse(window.end));
      },
      unschedule: (_, { id }) => unschedule(id),
      interrupt: (_, { phase, window }) => {
        interruptions = interruptions
          .then(async () => {
            const items = await affected(ctx, window);
            ctx.log.info({ id: window.id, ...items }, `maintenance ${window.id}: interruption ${phase}`);
            // The window's id: topology holds the interruption under it until the end with the same id.
            ctx.emit(phase === 'start' ? interruptionStart : interruptionEnd, { type: 'maintenance', id: window.id, ...items });
          })
          // One failed publication must not stop the ones after it.
          .catch((err: unknown) => ctx.log.error({ err, id: window.id }, `maintenance ${window.id}: interruption ${phase} not published`));
      },
      release: (_, h) => {
        interruptions = interruptions.then(() => {
          ctx.log.info({ id: h.id }, `maintenance: releasing an interruption topology held for no running window`);
          ctx.emit(interruptionEnd, { type: h.type, ...(h.id === null ? {} : { id: h.id }), switches: h.switches, interfaces: h.interfaces, links: h.links });
        }).catch((err: unknown) => ctx.log.error({ err, id: h.id }, 'maintenance: a held interruption not released'));
      },
      startPrune: () => {
        const { PRUNE_INTERVAL, FINISHED_RETENTION, PRUNE_BATCH } = ctx.settings;
        if (PRUNE_INTERVAL <= 0 || FINISHED_RETENTION <= 0) return;
        ctx.timers.setInterval(
          () => ctx.tell(ctx.self, { type: 'maintenance.prune', now: ctx.clock.now(), retentionMs: FINISHED_RETENTION * 1000, batch: PRUNE_BATCH }),
          PRUNE_INTERVAL * 1000,
        );
      },
      answer: (_, p) => {
        const to = { replyTo: p.replyTo as Reply<unknown> | undefined };
        if (p.error !== undefined) replyError(to, p.error);
        else reply(to, p.value);
      },
    },
  });
}

/** The interruptions topology holds; none when it does not answer (nothing is released then). */
async function held(ctx: NAppContext<MaintenanceSettings>) {
  try {
    return await ctx.ask(listInterruptions, {});
  } catch (err) {
    ctx.log.warn({ err }, 'maintenance: topology did not list its interruptions; none released');
    return [];
  }
}

/** The window's items expanded on topology's view; its own items alone when topology does not answer. */
async function affected(ctx: NAppContext<MaintenanceSettings>, w: Win) {
  try {
    return expand(w, await ctx.ask(getTopology, {}));
  } catch (err) {
    ctx.log.warn({ err, id: w.id }, 'maintenance: topology did not answer; interrupting the listed items only');
    return { switches: [...w.switches], interfaces: [...w.interfaces], links: [...w.links] };
  }
}

export default defineNApp<MaintenanceSettings>({
  manifest,
  schema: { windows: { version: 1 } },
  importKytos,
  settings: defaults,
  machine: maintenanceLogic,
  routes,
  openapi: new URL('./openapi.yml', import.meta.url),
});
