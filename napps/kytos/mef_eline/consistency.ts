/**
 * What flow_manager cannot see: an EVC flow gone from its store (deleted
 * through its API, or refused by the switch) makes mef_eline redeploy that
 * EVC; a UNI going down or up changes only the EVC's `active` flag
 * (`uni_active_updated`), its flows stay.
 */
import { evcUniActiveUpdated } from '#sdk';
import { stateOf } from './evc-machine.js';
import { idOfCookie } from './flows.js';
import { eventContent } from './model.js';
import type { EvcService } from './service.js';

export async function onFlowGone(svc: EvcService, cookie: bigint | number): Promise<void> {
  const id = idOfCookie(cookie, svc.deps.settings.COOKIE_PREFIX);
  const l = id === undefined ? undefined : svc.evcs.get(id);
  if (!l || l.doc.archived || stateOf(l.snap) !== 'active') return;
  await svc.redeploy(l.doc.id, false);
}

export async function onUniActive(svc: EvcService, interfaceId: string, up: boolean): Promise<void> {
  for (const l of svc.evcs.values()) {
    if (l.doc.archived || (l.doc.uni_a.interface_id !== interfaceId && l.doc.uni_z.interface_id !== interfaceId)) continue;
    await svc.withEvc(l.doc.id, async (x) => {
      const active = up && stateOf(x.snap) === 'active' && x.doc.current_path.length > 0;
      if (x.doc.active === active) return;
      await svc.save(x, { active });
      svc.deps.emit(evcUniActiveUpdated, eventContent(x.doc));
    });
  }
}
