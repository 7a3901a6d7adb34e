/** The maintenance panel: windows listed, created from a form, deleted. */
import { errorText } from './api.js';
import { h, keepFocus, say, table } from './dom.js';
import { field, type PanelHost } from './panel-host.js';

const MW = '/api/kytos/maintenance/v1';

export class MaintenancePanel {
  private readonly list = h('div');
  private readonly message = h('p', { id: 'mw-msg', class: 'msg', role: 'alert' });

  constructor(readonly root: HTMLElement, private readonly host: PanelHost) {
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
      const res = await this.host.api.request('POST', MW, body);
      say(this.message, `created ${res?.mw_id ?? ''}`, 'ok');
    } catch (e) {
      say(this.message, errorText(e), 'error');
    }
    void this.refresh();
  }

  private async remove(id: string): Promise<void> {
    try {
      await this.host.api.request('DELETE', `${MW}/${encodeURIComponent(id)}`);
      say(this.message, `deleted ${id}`, 'ok');
    } catch (e) {
      say(this.message, errorText(e), 'error');
    }
    void this.refresh();
  }

  async refresh(): Promise<void> {
    let windows: any;
    try {
      windows = await this.host.api.request('GET', MW);
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
