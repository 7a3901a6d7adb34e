/**
 * The four panels: a switch (ports and their counters, installed and stored
 * flows, a JSON editor to add or delete flows), a link (metadata, liveness),
 * EVCs (list, create, delete) and maintenance windows (list, create, delete).
 * Every action is a button or a form: reachable by keyboard.
 */
import { api, ApiError, parseJson, toJson } from './api.js';
import { badge, h, keepFocus, nodes, say, table, type Child } from './dom.js';
import { statusOf, switchLabel, switchOf, type Topology } from './topology.js';

const FM = '/api/kytos/flow_manager/v2';
const STATS = '/api/amlight/kytos_stats/v1';
const EVC = '/api/kytos/mef_eline/v2/evc/';
const MW = '/api/kytos/maintenance/v1';
const FULL_MASK = 0xffffffffffffffffn;

export interface PanelHost {
  topology(): Topology;
  select(kind: 'switch' | 'link', id: string): void;
}

const code = (v: unknown): HTMLElement => h('code', {}, v === undefined ? '' : toJson(v));
const errorText = (e: unknown): string => (e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e));

/** Reads a counters route of kytos_stats (`{dpid: {key: {...}}}`); undefined when it is not there (404) or fails. */
async function counters(kind: 'port' | 'flow', dpid: string): Promise<Record<string, Record<string, unknown>> | undefined> {
  try {
    const body = await api<Record<string, Record<string, Record<string, unknown>>>>('GET', `${STATS}/${kind}/stats?dpid=${encodeURIComponent(dpid)}`);
    return body?.[dpid] ?? {};
  } catch {
    return undefined;
  }
}
const counter = (c: Record<string, unknown> | undefined, ...keys: string[]): string => {
  for (const k of keys) if (c?.[k] !== undefined) return String(c[k]);
  return '';
};

/** A labelled form field (label + control) for a `.form-grid`. */
const field = (id: string, label: string, control: HTMLElement): Child[] => {
  control.id = id;
  return [h('label', { for: id }, label), control];
};

// ---- Switch ----

export class SwitchPanel {
  dpid?: string;
  private readonly body = h('div');
  private readonly picker = h('select', { id: 'switch-pick' });
  private readonly editor = h('textarea', { id: 'flow-json', rows: '7', spellcheck: 'false' });
  private readonly message = h('p', { id: 'flow-msg', class: 'msg', role: 'alert' });

  constructor(readonly root: HTMLElement, private readonly host: PanelHost) {
    this.editor.value = toJson({ flows: [{ priority: 1000, match: { in_port: 1 }, actions: [{ action_type: 'output', port: 2 }] }] }, 2);
    this.picker.addEventListener('change', () => this.show(this.picker.value));
    root.append(
      h('div', { class: 'row' }, h('label', { for: 'switch-pick' }, 'Switch'), this.picker, h('button', { type: 'button', class: 'secondary', onclick: () => this.refresh() }, 'Refresh')),
      this.body,
      h('h3', {}, 'Add or delete flows'),
      h('label', { for: 'flow-json' }, 'Flows as JSON ({"flows": [...]}, flow_manager v2)'),
      this.editor,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', id: 'flow-add', onclick: () => this.send('POST') }, 'Add flows'),
        h('button', { type: 'button', id: 'flow-delete', class: 'danger', onclick: () => this.send('DELETE') }, 'Delete flows'),
      ),
      this.message,
    );
  }

  /** Keeps the switch list in step with the topology. */
  sync(t: Topology): void {
    const ids = Object.keys(t.switches).sort();
    const current = [...this.picker.options].map((o) => o.value);
    if (current.join() !== ['', ...ids].join()) {
      this.picker.replaceChildren(h('option', { value: '' }, '(pick a switch)'), ...ids.map((id) => h('option', { value: id }, `${switchLabel(t.switches[id], id)}`)));
      this.picker.value = this.dpid ?? '';
    }
  }

  show(dpid: string): void {
    this.dpid = dpid || undefined;
    this.picker.value = dpid;
    void this.refresh();
  }

  /** The flow editor's JSON, checked for shape: `{"flows": [object, ...]}` (a lone flow object is wrapped). */
  private flowsBody(): { flows: Record<string, unknown>[] } {
    let value: unknown;
    try {
      value = parseJson(this.editor.value);
    } catch (e) {
      throw new Error(`not JSON: ${(e as Error).message}`);
    }
    if (value && typeof value === 'object' && !Array.isArray(value) && !('flows' in value)) value = { flows: [value] };
    const flows = (value as { flows?: unknown })?.flows;
    if (!Array.isArray(flows) || flows.length === 0) throw new Error('expected {"flows": [flow, ...]} with at least one flow');
    flows.forEach((f, i) => {
      if (!f || typeof f !== 'object' || Array.isArray(f)) throw new Error(`flows[${i}] is not an object`);
    });
    return value as { flows: Record<string, unknown>[] };
  }

  async send(method: 'POST' | 'DELETE'): Promise<void> {
    if (!this.dpid) return say(this.message, 'pick a switch first', 'error');
    let body;
    try {
      body = this.flowsBody();
    } catch (e) {
      return say(this.message, errorText(e), 'error');
    }
    say(this.message, method === 'POST' ? 'adding...' : 'deleting...');
    try {
      const res = await api(method, `${FM}/flows/${encodeURIComponent(this.dpid)}`, body);
      say(this.message, `${method === 'POST' ? 'added' : 'deleted'}: ${res?.response ?? 'ok'}`, 'ok');
    } catch (e) {
      say(this.message, errorText(e), 'error');
    }
    void this.refresh();
  }

  private async deleteStored(flow: Record<string, unknown>): Promise<void> {
    if (!this.dpid) return;
    const spec: Record<string, unknown> = { match: flow.match ?? {}, table_id: flow.table_id ?? 0, priority: flow.priority };
    if (flow.cookie !== undefined) Object.assign(spec, { cookie: flow.cookie, cookie_mask: FULL_MASK });
    try {
      await api('DELETE', `${FM}/flows/${encodeURIComponent(this.dpid)}`, { flows: [spec] });
      say(this.message, 'deleted', 'ok');
    } catch (e) {
      say(this.message, errorText(e), 'error');
    }
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const dpid = this.dpid;
    const s = dpid ? this.host.topology().switches[dpid] : undefined;
    if (!dpid || !s) {
      this.body.replaceChildren(h('p', { class: 'muted' }, dpid ? `switch ${dpid} is not in the topology` : 'Pick a switch in the list, the graph or the topology table.'));
      return;
    }
    const [portStats, flowStats, installed, stored] = await Promise.all([
      counters('port', dpid),
      counters('flow', dpid),
      api('GET', `${FM}/flows/${encodeURIComponent(dpid)}`).catch((e: unknown) => e),
      api('GET', `${FM}/stored_flows?dpid=${encodeURIComponent(dpid)}`).catch((e: unknown) => e),
    ]);
    if (this.dpid !== dpid) return;
    const intfs = Object.values(s.interfaces ?? {}).sort((a, b) => (a.port_number ?? 0) - (b.port_number ?? 0));
    const portRows = intfs.map((i) => {
      const c = portStats?.[String(i.port_number)];
      return [i.port_number ?? '', i.name ?? '', badge(statusOf(i)), portStats ? counter(c, 'rx_packets') : '', portStats ? counter(c, 'tx_packets') : '', portStats ? counter(c, 'rx_bytes') : '', portStats ? counter(c, 'tx_bytes') : ''] as Child[];
    });
    const installedFlows: Record<string, unknown>[] = installed instanceof Error ? [] : (installed?.[dpid]?.flows ?? []);
    const storedFlows: Record<string, any>[] = stored instanceof Error ? [] : (stored?.[dpid] ?? []);
    keepFocus(this.body, () => this.body.replaceChildren(...nodes(
      h('p', {}, h('strong', {}, switchLabel(s, dpid)), ' ', badge(statusOf(s)), ' ', h('span', { class: 'muted' }, `${dpid} ${s.connection ?? ''}`)),
      h('h3', {}, 'Ports'),
      portStats ? null : h('p', { class: 'muted', id: 'no-port-counters' }, 'no counters (kytos_stats routes not available)'),
      table(`Ports of ${dpid}`, ['port', 'name', 'status', 'rx packets', 'tx packets', 'rx bytes', 'tx bytes'], portRows),
      h('h3', {}, 'Installed flows'),
      flowStats ? null : h('p', { class: 'muted', id: 'no-flow-counters' }, 'no counters (kytos_stats routes not available)'),
      installed instanceof Error ? h('p', { class: 'msg error' }, errorText(installed)) : null,
      table(
        `Flows installed on ${dpid}`,
        ['table', 'priority', 'match', 'actions', 'packets', 'bytes'],
        installedFlows.map((f) => {
          const c = flowStats?.[String(f.id ?? f.flow_id ?? '')];
          const st = (f.stats ?? {}) as Record<string, unknown>;
          return [f.table_id as Child, f.priority as Child, code(f.match), code(f.instructions ?? f.actions), counter(c ?? st, 'packet_count'), counter(c ?? st, 'byte_count')];
        }),
      ),
      h('h3', {}, 'Stored flows'),
      stored instanceof Error ? h('p', { class: 'msg error' }, errorText(stored)) : null,
      table(
        `Flows stored for ${dpid}`,
        ['state', 'priority', 'match', 'actions', 'action'],
        storedFlows.map((d) => {
          const f = (d.flow ?? {}) as Record<string, unknown>;
          return [d.state, f.priority as Child, code(f.match), code(f.instructions ?? f.actions), h('button', { type: 'button', class: 'danger', 'aria-label': `Delete stored flow ${d.id ?? ''}`, onclick: () => this.deleteStored(f) }, 'Delete')];
        }),
      ),
    )));
  }
}

// ---- Link ----

export class LinkPanel {
  id?: string;
  private readonly body = h('div');
  private readonly picker = h('select', { id: 'link-pick' });

  constructor(readonly root: HTMLElement, private readonly host: PanelHost) {
    this.picker.addEventListener('change', () => this.show(this.picker.value));
    root.append(h('div', { class: 'row' }, h('label', { for: 'link-pick' }, 'Link'), this.picker), this.body);
  }

  sync(t: Topology): void {
    const ids = Object.keys(t.links).sort();
    if ([...this.picker.options].map((o) => o.value).join() !== ['', ...ids].join()) {
      this.picker.replaceChildren(h('option', { value: '' }, '(pick a link)'), ...ids.map((id) => h('option', { value: id }, linkName(t, id))));
      this.picker.value = this.id ?? '';
    }
    if (this.id) void this.refresh();
  }

  show(id: string): void {
    this.id = id || undefined;
    this.picker.value = id;
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const id = this.id;
    const l = id ? this.host.topology().links[id] : undefined;
    if (!id || !l) {
      this.body.replaceChildren(h('p', { class: 'muted' }, id ? `link ${id} is not in the topology` : 'Pick a link.'));
      return;
    }
    const q = `interface_id=${encodeURIComponent(l.endpoint_a.id)}&interface_id=${encodeURIComponent(l.endpoint_b.id)}`;
    const liveness = await api('GET', `/api/kytos/of_lldp/v1/liveness/?${q}`).catch((e: unknown) => e);
    if (this.id !== id) return;
    const rows = liveness instanceof Error ? [] : ((liveness?.interfaces ?? []) as Record<string, unknown>[]);
    this.body.replaceChildren(
      h('p', {}, h('strong', {}, linkName(this.host.topology(), id)), ' ', badge(statusOf(l))),
      table(`Link ${id}`, ['field', 'value'], [
        ['id', id],
        ['endpoint A', l.endpoint_a.id],
        ['endpoint B', l.endpoint_b.id],
        ['enabled', String(l.enabled)],
        ['active', String(l.active)],
        ['status reason', (l.status_reason ?? []).join(', ')],
        ['liveness (metadata)', String(l.metadata?.liveness_status ?? 'unknown')],
      ]),
      h('h3', {}, 'Liveness (of_lldp)'),
      liveness instanceof Error
        ? h('p', { class: 'muted' }, `liveness not available (${errorText(liveness)})`)
        : table(`Liveness of link ${id}`, ['interface', 'status', 'last hello'], rows.map((r) => [String(r.id ?? ''), String(r.status ?? ''), String(r.last_hello_at ?? '')])),
      h('h3', {}, 'Metadata'),
      h('pre', {}, toJson(l.metadata ?? {}, 2)),
    );
  }
}

const linkName = (t: Topology, id: string): string => {
  const l = t.links[id];
  if (!l) return id;
  const end = (i: { id: string; port_number?: number }) => `${switchLabel(t.switches[switchOf(i.id)], switchOf(i.id))}:${i.port_number ?? i.id.split(':').pop()}`;
  return `${end(l.endpoint_a)} - ${end(l.endpoint_b)}`;
};

// ---- EVCs ----

export class EvcPanel {
  private readonly list = h('div');
  private readonly message = h('p', { id: 'evc-msg', class: 'msg', role: 'alert' });
  private readonly intfs = h('datalist', { id: 'evc-interfaces' });

  constructor(readonly root: HTMLElement, private readonly host: PanelHost) {
    const input = (id: string, attrs: Record<string, string> = {}) => h('input', { id, ...attrs });
    const name = input('evc-name', { required: 'true' });
    const uniA = input('evc-uni-a', { list: 'evc-interfaces', required: 'true', placeholder: 'dpid:port' });
    const vlanA = input('evc-vlan-a', { inputmode: 'numeric', placeholder: 'untagged' });
    const uniZ = input('evc-uni-z', { list: 'evc-interfaces', required: 'true', placeholder: 'dpid:port' });
    const vlanZ = input('evc-vlan-z', { inputmode: 'numeric', placeholder: 'untagged' });
    const form = h(
      'form',
      { id: 'evc-form', 'aria-labelledby': 'evc-create-title' },
      h('h3', { id: 'evc-create-title' }, 'Create an EVC'),
      h('div', { class: 'form-grid' }, ...field('evc-name', 'Name', name), ...field('evc-uni-a', 'UNI A', uniA), ...field('evc-vlan-a', 'VLAN A', vlanA), ...field('evc-uni-z', 'UNI Z', uniZ), ...field('evc-vlan-z', 'VLAN Z', vlanZ)),
      h('div', { class: 'row' }, h('button', { type: 'submit', id: 'evc-create' }, 'Create EVC')),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const uni = (id: string, vlan: string) => ({ interface_id: id.trim(), ...(vlan.trim() ? { tag: { tag_type: 'vlan', value: Number(vlan) } } : {}) });
      void this.create({ name: name.value.trim(), uni_a: uni(uniA.value, vlanA.value), uni_z: uni(uniZ.value, vlanZ.value), dynamic_backup_path: true });
    });
    root.append(this.intfs, h('div', { class: 'row' }, h('h3', {}, 'EVCs'), h('button', { type: 'button', class: 'secondary', onclick: () => this.refresh() }, 'Refresh')), this.list, form, this.message);
  }

  sync(t: Topology): void {
    const ids = Object.values(t.switches).flatMap((s) => Object.keys(s.interfaces ?? {})).sort();
    this.intfs.replaceChildren(...ids.map((id) => h('option', { value: id })));
  }

  private async create(body: Record<string, unknown>): Promise<void> {
    say(this.message, 'creating...');
    try {
      const res = await api('POST', EVC, body);
      say(this.message, `created ${res?.circuit_id ?? ''}`, 'ok');
    } catch (e) {
      say(this.message, errorText(e), 'error');
    }
    void this.refresh();
  }

  private async remove(id: string): Promise<void> {
    try {
      await api('DELETE', `${EVC}${encodeURIComponent(id)}`);
      say(this.message, `deleted ${id}`, 'ok');
    } catch (e) {
      say(this.message, errorText(e), 'error');
    }
    void this.refresh();
  }

  async refresh(): Promise<void> {
    let evcs: Record<string, any>;
    try {
      evcs = (await api('GET', EVC)) ?? {};
    } catch (e) {
      this.list.replaceChildren(h('p', { class: 'muted' }, `EVCs not available (${errorText(e)})`));
      return;
    }
    const uni = (u: any) => `${u?.interface_id ?? ''}${u?.tag ? ` vlan ${toJson(u.tag.value)}` : ''}`;
    keepFocus(this.list, () => this.list.replaceChildren(
      table(
        'EVCs',
        ['name', 'UNI A', 'UNI Z', 'state', 'action'],
        Object.values(evcs).map((e) => [
          e.name,
          uni(e.uni_a),
          uni(e.uni_z),
          badge(e.enabled === false ? 'DISABLED' : e.active ? 'UP' : 'DOWN'),
          h('button', { type: 'button', class: 'danger', 'aria-label': `Delete EVC ${e.name}`, onclick: () => this.remove(e.id) }, 'Delete'),
        ]),
        'no EVC',
      ),
    ));
  }
}

// ---- Maintenance windows ----

export class MaintenancePanel {
  private readonly list = h('div');
  private readonly message = h('p', { id: 'mw-msg', class: 'msg', role: 'alert' });

  constructor(readonly root: HTMLElement) {
    const description = h('input', {});
    const start = h('input', { placeholder: '2030-01-01T10:00:00+0000' });
    const end = h('input', { placeholder: '2030-01-01T12:00:00+0000' });
    const switches = h('input', { placeholder: 'dpid, dpid' });
    const form = h(
      'form',
      { id: 'mw-form', 'aria-labelledby': 'mw-create-title' },
      h('h3', { id: 'mw-create-title' }, 'Create a maintenance window'),
      h('div', { class: 'form-grid' }, ...field('mw-description', 'Description', description), ...field('mw-start', 'Start', start), ...field('mw-end', 'End', end), ...field('mw-switches', 'Switches', switches)),
      h('div', { class: 'row' }, h('button', { type: 'submit', id: 'mw-create' }, 'Create window')),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const sw = switches.value.split(',').map((x) => x.trim()).filter(Boolean);
      void this.create({ description: description.value, start: start.value.trim(), end: end.value.trim(), switches: sw });
    });
    root.append(h('div', { class: 'row' }, h('h3', {}, 'Maintenance windows'), h('button', { type: 'button', class: 'secondary', onclick: () => this.refresh() }, 'Refresh')), this.list, form, this.message);
  }

  private async create(body: Record<string, unknown>): Promise<void> {
    try {
      const res = await api('POST', MW, body);
      say(this.message, `created ${res?.mw_id ?? ''}`, 'ok');
    } catch (e) {
      say(this.message, errorText(e), 'error');
    }
    void this.refresh();
  }

  private async remove(id: string): Promise<void> {
    try {
      await api('DELETE', `${MW}/${encodeURIComponent(id)}`);
      say(this.message, `deleted ${id}`, 'ok');
    } catch (e) {
      say(this.message, errorText(e), 'error');
    }
    void this.refresh();
  }

  async refresh(): Promise<void> {
    let windows: any;
    try {
      windows = await api('GET', MW);
    } catch (e) {
      this.list.replaceChildren(h('p', { class: 'muted' }, `maintenance windows not available (${errorText(e)})`));
      return;
    }
    const all: any[] = Array.isArray(windows) ? windows : Object.values(windows ?? {});
    keepFocus(this.list, () => this.list.replaceChildren(
      table(
        'Maintenance windows',
        ['description', 'start', 'end', 'status', 'items', 'action'],
        all.map((w) => [
          w.description ?? '',
          w.start ?? '',
          w.end ?? '',
          w.status ?? '',
          [...(w.switches ?? []), ...(w.interfaces ?? []), ...(w.links ?? [])].join(', '),
          h('button', { type: 'button', class: 'danger', 'aria-label': `Delete maintenance window ${w.id}`, onclick: () => this.remove(w.id) }, 'Delete'),
        ]),
        'no maintenance window',
      ),
    ));
  }
}
