/**
 * The switch panel: its ports and their counters (kytos_stats' routes; "no
 * counters" while they are not served), the flows it reports and the flows
 * flow_manager stores, and a JSON editor that adds or deletes flows (the shape
 * checked here, the flows themselves by flow_manager, whose 400 is shown).
 */
import { errorText, parseJson, toJson, type Api } from './api.js';
import { badge, h, keepFocus, nodes, say, table, type Child } from './dom.js';
import { code, type PanelHost } from './panel-host.js';
import { statusOf, switchLabel, type Topology } from './topology.js';

const FM = '/api/kytos/flow_manager/v2';
const STATS = '/api/amlight/kytos_stats/v1';
const FULL_MASK = 0xffffffffffffffffn;

/** Reads a counters route of kytos_stats (`{dpid: {key: {...}}}`); undefined when it is not there (404) or fails. */
async function counters(api: Api, kind: 'port' | 'flow', dpid: string): Promise<Record<string, Record<string, unknown>> | undefined> {
  try {
    const body = await api.request<Record<string, Record<string, Record<string, unknown>>>>('GET', `${STATS}/${kind}/stats?dpid=${encodeURIComponent(dpid)}`);
    return body?.[dpid] ?? {};
  } catch {
    return undefined;
  }
}
const counter = (c: Record<string, unknown> | undefined, ...keys: string[]): string => {
  for (const k of keys) if (c?.[k] !== undefined) return String(c[k]);
  return '';
};

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
      const res = await this.host.api.request(method, `${FM}/flows/${encodeURIComponent(this.dpid)}`, body);
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
      await this.host.api.request('DELETE', `${FM}/flows/${encodeURIComponent(this.dpid)}`, { flows: [spec] });
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
      counters(this.host.api, 'port', dpid),
      counters(this.host.api, 'flow', dpid),
      this.host.api.request('GET', `${FM}/flows/${encodeURIComponent(dpid)}`).catch((e: unknown) => e),
      this.host.api.request('GET', `${FM}/stored_flows?dpid=${encodeURIComponent(dpid)}`).catch((e: unknown) => e),
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
