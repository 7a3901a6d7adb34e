import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { TestController } from '../../../src/sdk/test-kit.js';
import { skipWithoutOvs, type Ovs } from '../../env/ovs.js';
import { until } from '../../helpers/log.js';
import { launch, screenshot, seriousViolations, skipWithoutChromium } from './browser.js';
import { ADMIN, datapathActions, dpid, intf, nextOf, RING, ringLink, startUiController, startUiRing } from './harness.js';

const RED = 'rgb(211,47,47)';
const GREEN = 'rgb(46,125,50)';

describe('web UI in a real browser (Chromium) against a controller with real OVS', function () {
  this.timeout(60_000);
  let c: TestController;
  let ovs: Ovs;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  /** The graph as the page's cytoscape instance holds it: nodes and edges with their status and rendered colour. */
  interface Edge { id: string; source: string; target: string; status: string; colour: string; ends: [string, string] }
  const graph = (): Promise<{ nodes: string[]; nodeColours: Record<string, string>; edges: Edge[] }> =>
    page.evaluate(() => {
      const cy = (window as any).__lattice.cy;
      return {
        nodes: cy.nodes().map((n: any) => n.id()).sort(),
        nodeColours: Object.fromEntries(cy.nodes().map((n: any) => [n.id(), n.style('background-color').replace(/\s/g, '')])),
        edges: cy
          .edges()
          .map((e: any) => ({
            id: e.id(),
            source: e.source().id(),
            target: e.target().id(),
            status: e.data('status'),
            colour: e.style('line-color').replace(/\s/g, ''),
            ends: [e.style('source-arrow-color').replace(/\s/g, ''), e.style('target-arrow-color').replace(/\s/g, '')],
          }))
          .sort((a: any, b: any) => a.id.localeCompare(b.id)),
      };
    });
  /** Presses Tab until `selector` has the focus (bounded): proves it is reachable by keyboard. */
  const tabTo = async (selector: string, max = 80) => {
    for (let i = 0; i < max; i++) {
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`${selector} not reached with ${max} Tab presses`);
  };

  before(async function () {
    this.timeout(90_000);
    const chromium = skipWithoutChromium(this)!;
    await skipWithoutOvs(this);
    c = await startUiController();
    ovs = await startUiRing(c.openflowPort, c.http.baseUrl);
    expect((await c.http.post('/api/kytos/core/auth/users/', ADMIN)).status).to.equal(201);
    browser = await launch(chromium);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      // Expected failures (a 400 for the bad flow, 404s while no kytos_stats routes exist) are not page errors; a CSP refusal is.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text());
    });
    const res = await page.goto(`${c.http.baseUrl}/`);
    expect(res?.status()).to.equal(200);
    expect(new URL(page.url()).pathname).to.equal('/ui/');
  });

  after(async () => {
    await browser?.close();
    await c?.stop();
    await ovs?.stop();
  });

  it('should draw every switch and link of the topology, in the graph and in the accessible list', async () => {
    const expected = {
      nodes: RING.map(dpid).sort(),
      edges: RING.map((i) => ({ id: ringLink(i), source: dpid(i), target: dpid(nextOf(i)) })).sort((a, b) => a.id.localeCompare(b.id)),
    };
    // The edge's endpoints follow the link's endpoint_a/endpoint_b, whichever order the id was made in.
    const links = (await c.http.get('/api/kytos/topology/v3/links')).body.links as Record<string, any>;
    for (const e of expected.edges) {
      e.source = links[e.id].endpoint_a.id.split(':').slice(0, 8).join(':');
      e.target = links[e.id].endpoint_b.id.split(':').slice(0, 8).join(':');
    }
    await until(async () => (await graph()).edges.length === 4 && (await graph()).edges.every((e) => e.status === 'UP'), 10_000, 'four UP edges in the page');
    const g = await graph();
    expect(g.nodes).to.deep.equal(expected.nodes);
    expect(Object.values(g.nodeColours)).to.deep.equal([GREEN, GREEN, GREEN, GREEN]);
    expect(g.edges.map(({ id, source, target }) => ({ id, source, target }))).to.deep.equal(expected.edges);
    expect(g.edges.map((e) => [e.colour, ...e.ends])).to.deep.equal(RING.map(() => [GREEN, GREEN, GREEN]));
    const listed = await page.evaluate(() => ({
      switches: [...document.querySelectorAll('[data-switch]')].map((b) => b.getAttribute('data-switch')).sort(),
      links: [...document.querySelectorAll('[data-link]')].map((b) => b.getAttribute('data-link')).sort(),
      statuses: [...document.querySelectorAll('[data-link-status]')].map((b) => b.textContent),
    }));
    expect(listed).to.deep.equal({ switches: expected.nodes, links: expected.edges.map((e) => e.id), statuses: ['UP', 'UP', 'UP', 'UP'] });
    await screenshot(page, 'topology');
  });

  it('should fit 1280x800: no sideways scroll, and the main regions do not overlap', async () => {
    const layout = await page.evaluate(() => {
      const boxes = ['head', 'graph-region', 'panel-region', 'log-region'].map((id) => {
        const r = document.getElementById(id)!.getBoundingClientRect();
        return { id, left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      });
      return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, boxes };
    });
    expect(layout.scrollWidth).to.be.at.most(layout.innerWidth);
    for (const b of layout.boxes) {
      expect(b.right - b.left, `${b.id} width`).to.be.greaterThan(100);
      expect(b.right, `${b.id} right edge`).to.be.at.most(layout.innerWidth);
    }
    for (let i = 0; i < layout.boxes.length; i++) {
      for (let j = i + 1; j < layout.boxes.length; j++) {
        const [a, b] = [layout.boxes[i]!, layout.boxes[j]!];
        const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
        expect(overlap, `${a.id} and ${b.id} overlap`).to.equal(false);
      }
    }
  });

  it('should reach a switch and the panels by keyboard alone', async () => {
    await page.focus('body');
    await tabTo(`[data-switch="${dpid(2)}"]`);
    await page.keyboard.press('Enter');
    await until(() => page.evaluate(() => (document.getElementById('switch-pick') as HTMLSelectElement).value), 5000, 'switch picked').then((v) => expect(v).to.equal(dpid(2)));
    await until(() => page.locator('#panel-switch table').count().then((n) => n >= 3), 5000, 'switch tables');
    await page.focus('#tab-switch');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => [document.activeElement?.id, document.getElementById('panel-link')!.hidden])).to.deep.equal(['tab-link', false]);
    await page.keyboard.press('End');
    expect(await page.evaluate(() => [document.activeElement?.id, document.getElementById('panel-maintenance')!.hidden])).to.deep.equal(['tab-maintenance', false]);
    await page.keyboard.press('Home');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('tab-switch');
  });

  it('should have no serious or critical axe-core violation on the topology view and on each panel', async () => {
    const found: Record<string, unknown[]> = {};
    await page.click(`[data-switch="${dpid(1)}"]`);
    await until(() => page.locator('#panel-switch table').count().then((n) => n >= 3), 5000, 'switch tables');
    found.switch = await seriousViolations(page);
    await page.click(`[data-link="${ringLink(1)}"]`);
    await until(() => page.locator('#panel-link table').count().then((n) => n >= 1), 5000, 'link table');
    found.link = await seriousViolations(page);
    await page.click('#tab-evcs');
    await until(() => page.locator('#panel-evcs table').count().then((n) => n >= 1), 5000, 'EVC table');
    found.evcs = await seriousViolations(page);
    await page.click('#tab-maintenance');
    await until(() => page.locator('#panel-maintenance table').count().then((n) => n >= 1), 5000, 'maintenance table');
    found.maintenance = await seriousViolations(page);
    await page.click('#login-open');
    found.login = await seriousViolations(page);
    await page.keyboard.press('Escape');
    expect(found, JSON.stringify(found, null, 1)).to.deep.equal({ switch: [], link: [], evcs: [], maintenance: [], login: [] });
  });

  it('should filter the live event log', async () => {
    // A host port's link flaps: of_core's interface events and topology's updates reach the log live.
    await ovs.setLink('u4-eth4', false);
    await ovs.setLink('u4-eth4', true);
    await page.fill('#log-filter', 'of_lldp|topology');
    await until(() => page.locator('#log li').count().then((n) => n > 0), 10_000, 'events in the log');
    const lines = await page.locator('#log li').allTextContents();
    for (const l of lines) expect(l).to.match(/of_lldp|topology/i);
    expect(lines.filter((l) => /\.messages\.(in|out)\./.test(l))).to.deep.equal([]);
    await page.uncheck('#log-hide-messages');
    await until(async () => (await page.locator('#log li').allTextContents()).some((l) => /of_lldp\.messages\.out/.test(l)), 10_000, "of_lldp's packet_outs shown");
    await page.check('#log-hide-messages');
    await page.fill('#log-filter', 'no-such-event-name-xyz');
    await until(() => page.locator('#log li').count().then((n) => n === 0), 5000, 'nothing matches');
    await page.fill('#log-filter', '');
  });

  it('should log in, then add a flow typed in the switch panel (it reaches the switch) and show the server 400 for a bad one', async () => {
    await page.focus('#login-open');
    await page.keyboard.press('Enter');
    await page.keyboard.type(ADMIN.username);
    await page.focus('#login-pass');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');
    await until(() => page.textContent('#who').then((t) => t === `logged in as ${ADMIN.username}`), 5000, 'logged in');

    await page.focus('#tab-switch');
    await page.keyboard.press('Enter');
    await page.selectOption('#switch-pick', dpid(1));
    // Port counters from kytos_stats (of_core polls every second): the LLDP frames sent on port 2.
    const txOfPort2 = async () => {
      await page.click('#panel-switch button:text-is("Refresh")');
      await until(() => page.locator('#panel-switch table').count().then((n) => n >= 3), 5000, 'switch tables');
      const cells = await page.locator('#panel-switch table').first().locator('tr', { has: page.locator('td:text-is("u1-u2")') }).locator('td').allTextContents();
      return Number(cells[4] || 0);
    };
    await until(async () => (await txOfPort2()) > 0, 10_000, 'port counters shown');
    expect(await page.locator('#no-port-counters').count()).to.equal(0);
    // With kytos_stats disabled its routes answer 404: the panel says "no counters", nothing breaks.
    const admin = await c.http.get('/api/kytos/core/auth/login/', { headers: { authorization: `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}` } });
    const bearer = { headers: { authorization: `Bearer ${admin.body.token}` } };
    expect((await c.http.post('/api/kytos/core/napps/amlight/kytos_stats/disable', undefined, bearer)).status).to.equal(200);
    await until(async () => (await txOfPort2()) === 0 && (await page.locator('#no-port-counters').count()) === 1, 10_000, '"no counters" shown');
    expect((await c.http.post('/api/kytos/core/napps/amlight/kytos_stats/enable', undefined, bearer)).status).to.equal(200);
    await page.fill('#flow-json', JSON.stringify({ flows: [{ priority: 4321, match: { in_port: 1, dl_vlan: 42 }, actions: [{ action_type: 'output', port: 4 }] }] }));
    await page.focus('#flow-add');
    await page.keyboard.press('Enter');
    await until(async () => (await ovs.dumpFlows('u1')).some((l) => l.includes('priority=4321') && l.includes('dl_vlan=42')), 10_000, 'flow in dump-flows');
    await until(() => page.textContent('#flow-msg').then((t) => /^added/.test(t ?? '')), 5000, 'added message');

    await page.fill('#flow-json', JSON.stringify({ flows: [{ priority: 5, match: { in_port: 1, no_such_field: 3 } }] }));
    await page.click('#flow-add');
    await until(() => page.textContent('#flow-msg').then((t) => /^400: /.test(t ?? '')), 5000, 'the server 400 shown');
    expect(await page.textContent('#flow-msg')).to.match(/no_such_field/);
    await page.fill('#flow-json', '{"flows": [');
    await page.click('#flow-add');
    expect(await page.textContent('#flow-msg')).to.match(/^not JSON/);
    await screenshot(page, 'switch-panel');

    await page.fill('#flow-json', JSON.stringify({ flows: [{ priority: 4321, match: { in_port: 1, dl_vlan: 42 } }] }));
    await page.click('#flow-delete');
    await until(async () => !(await ovs.dumpFlows('u1')).some((l) => l.includes('priority=4321')), 10_000, 'flow deleted from the switch');

    // A 64-bit cookie typed as text keeps every digit to the switch, and the stored flow's Delete
    // button (cookie and full mask, written back exactly) removes that flow only.
    await page.fill('#flow-json', '{"flows": [{"priority": 4322, "cookie": 12321848580485677057, "match": {"in_port": 1, "dl_vlan": 43}, "actions": [{"action_type": "output", "port": 4}]}]}');
    await page.click('#flow-add');
    await until(async () => (await ovs.dumpFlows('u1')).some((l) => l.includes('cookie=0xab00000000000001') && l.includes('priority=4322')), 10_000, 'cookie exact in dump-flows');
    const row = page.locator('#panel-switch tr', { hasText: '"dl_vlan":43' }).locator('button', { hasText: 'Delete' });
    await until(() => row.count().then((n) => n === 1), 10_000, 'the stored flow listed with its Delete button');
    await row.focus();
    await page.keyboard.press('Enter');
    await until(async () => !(await ovs.dumpFlows('u1')).some((l) => l.includes('priority=4322')), 10_000, 'flow deleted by its row');
  });

  it('should create an EVC in the EVC panel that forwards (ofproto/trace), and delete it', async () => {
    await page.click('#tab-evcs');
    await page.fill('#evc-name', 'ui-evc');
    await page.fill('#evc-uni-a', intf(1, 1));
    await page.fill('#evc-vlan-a', '100');
    await page.fill('#evc-uni-z', intf(3, 1));
    await page.fill('#evc-vlan-z', '200');
    await page.focus('#evc-create');
    await page.keyboard.press('Enter');
    await until(() => page.textContent('#evc-msg').then((t) => /^created /.test(t ?? '')), 10_000, 'EVC created');
    await until(async () => (await datapathActions(ovs, 'u1', 'in_port=u1-eth1,dl_vlan=100')).endsWith('push_vlan(vid=200,pcp=0),u3-eth1'), 15_000, 'EVC forwards u1-eth1 vlan 100 to u3-eth1 vlan 200');
    await until(() => page.locator('#panel-evcs button[aria-label="Delete EVC ui-evc"]').count().then((n) => n === 1), 5000, 'EVC listed');
    await screenshot(page, 'evc-panel');
    await page.click('#panel-evcs button[aria-label="Delete EVC ui-evc"]');
    await until(() => page.locator('#panel-evcs button[aria-label="Delete EVC ui-evc"]').count().then((n) => n === 0), 10_000, 'EVC gone from the list');
    expect(Object.keys((await c.http.get('/api/kytos/mef_eline/v2/evc/')).body)).to.deep.equal([]);
  });

  it('should create and delete a maintenance window in its panel', async () => {
    const at = (hoursAhead: number) => `${new Date(Date.now() + hoursAhead * 3_600_000).toISOString().slice(0, 19)}+0000`;
    await page.click('#tab-maintenance');
    await page.fill('#mw-description', 'ui window');
    await page.fill('#mw-start', at(24));
    await page.fill('#mw-end', at(26));
    await page.fill('#mw-switches', dpid(4));
    await page.focus('#mw-create');
    await page.keyboard.press('Enter');
    await until(() => page.textContent('#mw-msg').then((t) => /^created /.test(t ?? '')), 10_000, 'window created');
    const windows = (await c.http.get('/api/kytos/maintenance/v1')).body as { id: string; switches: string[]; description: string }[];
    expect(windows.map((w) => [w.description, w.switches])).to.deep.equal([['ui window', [dpid(4)]]]);
    const del = `#panel-maintenance button[aria-label="Delete maintenance window ${windows[0]!.id}"]`;
    await until(() => page.locator(del).count().then((n) => n === 1), 5000, 'window listed');
    await page.click(del);
    await until(() => page.locator(del).count().then((n) => n === 0), 10_000, 'window gone from the list');
    expect((await c.http.get('/api/kytos/maintenance/v1')).body).to.deep.equal([]);
  });

  it('should turn a cut link red without reloading (one side of the patch pair deleted)', async () => {
    const loads = await page.evaluate(() => performance.getEntriesByType('navigation').length);
    // A keyboard user on a link's button keeps the focus there while the tables are re-rendered.
    await page.focus(`[data-link="${ringLink(3)}"]`);
    await ovs.delPort('u1', 'u1-u2');
    await until(async () => (await graph()).edges.find((e) => e.id === ringLink(1))?.colour === RED, 10_000, 'edge red');
    const g = await graph();
    expect(g.edges.map((e) => [e.id, e.status])).to.deep.equal(g.edges.map((e) => [e.id, e.id === ringLink(1) ? 'DOWN' : 'UP']));
    // The end whose port was deleted (u1's port 2) shows its interface down in colour too.
    const cut = g.edges.find((e) => e.id === ringLink(1))!;
    expect(cut.source === dpid(1) ? cut.ends[0] : cut.ends[1]).to.equal(RED);
    expect(await page.textContent(`[data-link-status="${ringLink(1)}"]`)).to.equal('DOWN');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-link'))).to.equal(ringLink(3));
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).to.equal(loads);
    await screenshot(page, 'link-cut');
    expect(pageErrors).to.deep.equal([]);
  });

  it('should turn a switch red when it disconnects', async () => {
    await ovs.setController('u4', null);
    await until(async () => (await graph()).nodeColours[dpid(4)] === RED, 15_000, 'node red');
    expect(await page.locator(`[data-switch="${dpid(4)}"]`).locator('xpath=ancestor::tr').locator('.badge').first().textContent()).to.equal('DOWN');
    await screenshot(page, 'switch-down');
  });
});
