/** The EVC panel: mef_eline's EVCs listed, created from a form, deleted. */
import { errorText, toJson } from './api.js';
import { badge, h, keepFocus, say, table } from './dom.js';
import { field, type PanelHost } from './panel-host.js';
import type { Topology } from './topology.js';

const EVC = '/api/kytos/mef_eline/v2/evc/';

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
      const res = await this.host.api.request('POST', EVC, body);
      say(this.message, `created ${res?.circuit_id ?? ''}`, 'ok');
    } catch (e) {
      say(this.message, errorText(e), 'error');
    }
    void this.refresh();
  }

  private async remove(id: string): Promise<void> {
    try {
      await this.host.api.request('DELETE', `${EVC}${encodeURIComponent(id)}`);
      say(this.message, `deleted ${id}`, 'ok');
    } catch (e) {
      say(this.message, errorText(e), 'error');
    }
    void this.refresh();
  }

  async refresh(): Promise<void> {
    let evcs: Record<string, any>;
    try {
      evcs = (await this.host.api.request('GET', EVC)) ?? {};
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
