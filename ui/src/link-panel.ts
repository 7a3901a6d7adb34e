/** The link panel: its ends, state, metadata and of_lldp's liveness of both ends. */
import { errorText, toJson } from './api.js';
import { badge, h, table } from './dom.js';
import { linkName, type PanelHost } from './panel-host.js';
import { statusOf, type Topology } from './topology.js';

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
    const liveness = await this.host.api.request('GET', `/api/kytos/of_lldp/v1/liveness/?${q}`).catch((e: unknown) => e);
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
