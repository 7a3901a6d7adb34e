/**
 * The web UI's entry: loads the topology, draws it, keeps it live from
 * `kytos/topology.updated` events, and wires the panels, the entity list (the
 * graph's switches and links as tables: a canvas is not keyboard-accessible),
 * the event log and the login dialog.
 */
import { Api, errorText } from './api.js';
import { badge, byId, h, keepFocus, say, table } from './dom.js';
import { EvcPanel } from './evc-panel.js';
import { connectEvents, EventLog, type BusEvent } from './events.js';
import { createGraph } from './graph.js';
import { LinkPanel } from './link-panel.js';
import { MaintenancePanel } from './maintenance-panel.js';
import type { PanelHost } from './panel-host.js';
import { SwitchPanel } from './switch-panel.js';
import { statusOf, switchLabel, switchOf, type Topology } from './topology.js';

const TABS = ['switch', 'link', 'evcs', 'maintenance'] as const;
type Tab = (typeof TABS)[number];

function renderEntities(t: Topology, host: PanelHost): void {
  const switches = Object.entries(t.switches).sort(([a], [b]) => a.localeCompare(b));
  const links = Object.entries(t.links).sort(([a], [b]) => a.localeCompare(b));
  const end = (id: string) => `${switchLabel(t.switches[switchOf(id)], switchOf(id))} port ${id.split(':').pop()}`;
  const entities = byId('entities');
  keepFocus(entities, () =>
    entities.replaceChildren(
      h('h3', { id: 'switches-title' }, `Switches (${switches.length})`),
      table(
        'Switches',
        ['switch', 'dpid', 'status', 'ports up', 'action'],
        switches.map(([dpid, s]) => {
          const intfs = Object.values(s.interfaces ?? {});
          return [
            switchLabel(s, dpid),
            dpid,
            badge(statusOf(s)),
            `${intfs.filter((i) => statusOf(i) === 'UP').length}/${intfs.length}`,
            h('button', { type: 'button', class: 'secondary', 'data-switch': dpid, 'aria-label': `Open switch ${switchLabel(s, dpid)}`, onclick: () => host.select('switch', dpid) }, 'Open'),
          ];
        }),
        'no switch',
      ),
      h('h3', { id: 'links-title' }, `Links (${links.length})`),
      table(
        'Links',
        ['endpoint A', 'endpoint B', 'status', 'action'],
        links.map(([id, l]) => [
          end(l.endpoint_a.id),
          end(l.endpoint_b.id),
          h('span', { 'data-link-status': id }, badge(statusOf(l))),
          h('button', { type: 'button', class: 'secondary', 'data-link': id, 'aria-label': `Open link ${end(l.endpoint_a.id)} to ${end(l.endpoint_b.id)}`, onclick: () => host.select('link', id) }, 'Open'),
        ]),
        'no link',
      ),
    ),
  );
}

function start(): void {
  let topology: Topology = { switches: {}, links: {} };
  /** How many topologies were applied (tests and the benchmark can wait on it). */
  let version = 0;

  // Login: a dialog, opened by the button or by a 401; the token stays in the Api object's memory.
  const dialog = byId<HTMLDialogElement>('login');
  const openLogin = (why = ''): void => {
    byId('login-why').textContent = why;
    say(byId('login-msg'), '');
    if (!dialog.open) dialog.showModal();
    byId<HTMLInputElement>('login-user').focus();
  };
  const api = new Api((why) => openLogin(`The controller asks for a login (${why}).`));

  const host: PanelHost = {
    api,
    topology: () => topology,
    select(kind, id) {
      if (kind === 'switch') {
        switchPanel.show(id);
        showTab('switch');
      } else {
        linkPanel.show(id);
        showTab('link');
      }
    },
  };
  const switchPanel = new SwitchPanel(byId('panel-switch'), host);
  const linkPanel = new LinkPanel(byId('panel-link'), host);
  const evcs = new EvcPanel(byId('panel-evcs'), host);
  const maintenance = new MaintenancePanel(byId('panel-maintenance'), host);
  const graph = createGraph(byId('cy'), (kind, id) => host.select(kind, id));
  const log = new EventLog();

  function showTab(tab: Tab, focus = false): void {
    for (const t of TABS) {
      const button = byId(`tab-${t}`);
      const on = t === tab;
      button.setAttribute('aria-selected', String(on));
      button.tabIndex = on ? 0 : -1;
      byId(`panel-${t}`).hidden = !on;
      if (on && focus) button.focus();
    }
    if (tab === 'evcs') void evcs.refresh();
    if (tab === 'maintenance') void maintenance.refresh();
  }

  const apply = (t: Topology): void => {
    topology = { switches: t.switches ?? {}, links: t.links ?? {} };
    graph.render(topology);
    renderEntities(topology, host);
    switchPanel.sync(topology);
    linkPanel.sync(topology);
    evcs.sync(topology);
    version++;
  };

  const load = async (): Promise<void> => {
    try {
      apply((await api.request<{ topology: Topology }>('GET', '/api/kytos/topology/v3/')).topology);
      void switchPanel.refresh();
    } catch (e) {
      byId('entities').replaceChildren(h('p', { class: 'msg error' }, `topology not available: ${errorText(e)}`));
    }
  };

  // Refresh what a panel shows when its NApp announces a change (debounced per panel).
  const pending = new Set<string>();
  const soon = (key: string, fn: () => void): void => {
    if (pending.has(key)) return;
    pending.add(key);
    window.setTimeout(() => {
      pending.delete(key);
      fn();
    }, 300);
  };
  const onEvent = (e: BusEvent): void => {
    if (e.name === 'kytos/topology.updated' && e.content?.topology) apply(e.content.topology as Topology);
    else if (/^kytos\/flow_manager\./.test(e.name) && !byId('panel-switch').hidden) soon('switch', () => void switchPanel.refresh());
    else if (/^kytos\/mef_eline\./.test(e.name) && !byId('panel-evcs').hidden) soon('evcs', () => void evcs.refresh());
    else if (/^kytos\/maintenance\./.test(e.name) && !byId('panel-maintenance').hidden) soon('mw', () => void maintenance.refresh());
    log.add(e);
  };
  const events = connectEvents(() => api.token, onEvent, (state) => {
    byId('conn').textContent = `events: ${state}`;
    if (state === 'live') void load();
  });

  // Tabs: click, or arrow keys / Home / End on the tab list.
  byId('tabs').addEventListener('keydown', (e) => {
    const current = TABS.findIndex((t) => byId(`tab-${t}`).getAttribute('aria-selected') === 'true');
    const next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: TABS.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    showTab(TABS[(next + TABS.length) % TABS.length]!, true);
  });
  for (const t of TABS) byId(`tab-${t}`).addEventListener('click', () => showTab(t));

  byId('login-open').addEventListener('click', () => openLogin());
  byId('login-cancel').addEventListener('click', () => dialog.close());
  byId('logout').addEventListener('click', () => api.logout());
  byId<HTMLFormElement>('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const pass = byId<HTMLInputElement>('login-pass');
    api.login(byId<HTMLInputElement>('login-user').value, pass.value).then(
      () => {
        pass.value = '';
        dialog.close();
      },
      (err: unknown) => say(byId('login-msg'), errorText(err), 'error'),
    );
  });
  api.onChange(() => {
    byId('who').textContent = api.user ? `logged in as ${api.user}` : 'not logged in';
    byId('login-open').hidden = Boolean(api.user);
    byId('logout').hidden = !api.user;
    events.reconnect();
  });

  showTab('switch');
  void load();

  /** For the browser tests and the benchmark: the graph and what the page applied. */
  (window as unknown as { __lattice: unknown }).__lattice = { cy: graph.cy, topology: () => topology, version: () => version };
}

start();
