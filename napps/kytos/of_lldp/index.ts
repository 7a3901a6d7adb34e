/**
 * kytos/of_lldp: authenticated LLDP link discovery, link liveness and loop
 * detection, Kytos-ng's v1 API (kytos-api.md 2.3, 4.1). The machine decides
 * (machine.ts, logic.ts, commands.ts); the effects below do.
 */
import { randomBytes } from 'node:crypto';
import { assign } from 'xstate';
import { defineNApp, deleteFlows, getTopology, installFlows, metricsService, reply, switchesService, type NAppContext, type NAppMetrics } from '#sdk';
import manifest from './manifest.json' with { type: 'json' };
import { SUBSCRIPTIONS, timerEvent, type LivenessStored } from './events.js';
import { cookieOf, puntFlow } from './logic.js';
import { keyFromSetting, ofLldpMachine } from './machine.js';
import { routes } from './routes.js';
import { defaults, type OfLldpSettings } from './settings.js';
import { importKytos } from './import-kytos.js';

export const OWNER = 'of_lldp';

/** Kytos-ng's `liveness` collection: one document per interface with liveness enabled. */
export interface LivenessDoc {
  id: string;
  enabled: boolean;
  inserted_at: string;
  updated_at: string;
}

/** The generated HMAC key (used only when the setting gives none). */
interface SecretDoc {
  id: string;
  key: string;
}

export const collections = (ctx: NAppContext<OfLldpSettings>) => ({
  liveness: ctx.store.collection<LivenessDoc>('liveness', { key: 'id', indexes: ['enabled'] }),
  secrets: ctx.store.collection<SecretDoc>('secrets', { key: 'id' }),
});

/** What setup loaded, handed to the machine when it starts (per NApp context). */
const loaded = new WeakMap<object, { key: Buffer; liveness: string[] }>();

/** The machine with its effects bound to the NApp's context. */
export function ofLldpLogic(ctx: NAppContext<OfLldpSettings>) {
  const switches = ctx.service(switchesService);
  const c = collections(ctx);
  const s = ctx.settings;
  let metrics: NAppMetrics | undefined;
  try {
    metrics = ctx.service(metricsService);
  } catch {
    metrics = undefined; // a host without metrics (stepNApp): the NApp's own counters still count
  }
  return ofLldpMachine.provide({
    actions: {
      restore: assign(() => {
        const l = loaded.get(ctx);
        return l ? { key: l.key, liveness: new Set(l.liveness) } : {};
      }),
      emit: (_, p) => {
        ctx.emit(p.event, p.content);
      },
      send: (_, p) => {
        if (!switches.send(p.dpid, p.messages)) ctx.log.debug({ dpid: p.dpid }, 'LLDP PACKET_OUT not sent (switch gone or busy)');
      },
      fetchTopology: (_, p) => {
        ctx.ask(getTopology, {}, 5000).then(
          (topology) => ctx.tell(ctx.self, { type: 'lldp.topology', round: p.round, topology }),
          (err: unknown) => {
            ctx.log.debug({ err }, 'topology not read for an LLDP round');
            ctx.tell(ctx.self, { type: 'lldp.topology', round: p.round });
          },
        );
      },
      startTimer: (_, p) => {
        ctx.timers.setTimeout(() => ctx.tell(ctx.self, timerEvent(p.key)), p.ms);
      },
      installPunt: (_, p) => {
        ctx.ask(installFlows, { dpid: p.dpid, flows: [puntFlow(p.dpid, s, p.table)], owner: OWNER, force: true }).then(
          (r) => {
            if (r.status >= 300) ctx.log.warn({ dpid: p.dpid, status: r.status, body: r.body }, 'LLDP punt flow refused');
          },
          (err: unknown) => ctx.log.warn({ err, dpid: p.dpid }, 'LLDP punt flow not installed'),
        );
      },
      deletePunt: (_, p) => {
        const flow = { ...puntFlow(p.dpid, s, p.table), cookie: cookieOf(p.dpid, s.COOKIE_PREFIX), cookie_mask: 0xffff_ffff_ffff_ffffn };
        delete (flow as Record<string, unknown>).actions;
        delete (flow as Record<string, unknown>).priority;
        ctx.ask(deleteFlows, { dpid: p.dpid, flows: [flow], owner: OWNER, force: true }).then(
          () => undefined,
          (err: unknown) => ctx.log.warn({ err, dpid: p.dpid }, 'LLDP punt flow not deleted'),
        );
      },
      storeLiveness: (_, p) => {
        const at = new Date(ctx.clock.now()).toISOString();
        const write = p.enabled
          ? Promise.all(p.ids.map(async (id) => {
              const prev = await c.liveness.get(id);
              await c.liveness.put({ id, enabled: true, inserted_at: prev?.inserted_at ?? at, updated_at: at });
            }))
          : Promise.all(p.ids.map((id) => c.liveness.delete(id)));
        const done = (error?: string) => {
          const m: LivenessStored = { type: 'lldp.liveness.stored', enabled: p.enabled, ids: p.ids, ...(p.replyTo ? { replyTo: p.replyTo } : {}), ...(error ? { error } : {}) };
          if (!ctx.tell(ctx.self, m) && p.replyTo) reply(p, { status: 503, body: { description: 'of_lldp is busy', code: 503 } });
        };
        write.then(() => done(), (err: unknown) => done(err instanceof Error ? err.message : String(err)));
      },
      countRejected: (_, p) => {
        metrics?.count('lldpFramesRejected', 1, p.reason);
      },
      log: (_, p) => {
        ctx.log.info(p.data, p.msg);
      },
    },
  });
}

/** The HMAC key: the setting's, else the one kept in the store, else a new one stored now. */
async function loadKey(ctx: NAppContext<OfLldpSettings>): Promise<Buffer> {
  const fromSetting = keyFromSetting(ctx.settings.LLDP_HMAC_KEY);
  if (fromSetting) return fromSetting;
  const secrets = collections(ctx).secrets;
  const kept = await secrets.get('hmac');
  if (kept) return Buffer.from(kept.key, 'hex');
  const key = randomBytes(32);
  try {
    await secrets.create({ id: 'hmac', key: key.toString('hex') });
    return key;
  } catch {
    // Another instance on the same database made one first: use it.
    const other = await secrets.get('hmac');
    if (other) return Buffer.from(other.key, 'hex');
    throw new Error('the LLDP key could not be stored');
  }
}

export default defineNApp<OfLldpSettings>({
  manifest,
  schema: { liveness: { version: 1 }, secrets: { version: 1 } },
  importKytos,
  settings: defaults,
  subscriptions: SUBSCRIPTIONS,
  machine: ofLldpLogic,
  routes,
  setup: async (ctx) => {
    const key = await loadKey(ctx);
    const liveness = (await collections(ctx).liveness.all()).filter((d) => d.enabled).map((d) => d.id);
    loaded.set(ctx, { key, liveness });
  },
});
