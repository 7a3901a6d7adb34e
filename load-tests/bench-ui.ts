/**
 * npm run bench:ui [-- --flaps 20]
 *
 * PORT_STATUS-to-repaint latency of the web UI: a controller (of_core, topology,
 * of_lldp, ...) with a ring of four real OVS bridges (private userspace
 * instance, dummy datapath), the UI open in Debian's Chromium (headless, via
 * playwright-core), and `--flaps` times: the patch port u1-u2 deleted (one side
 * of the link u1:2 - u2:3), then added back and the link found again.
 *
 * The controller runs in its own process (as `npm run dev`). Per flap, on one clock (the epoch in milliseconds: the page's
 * `performance.timeOrigin + performance.now()` and this process' are the same
 * machine clock):
 *   t0     a WebSocket client here receives `ofpt_port_status` (the switch's PORT_STATUS, through of_core and the bus);
 *   tWs    the same client receives the `kytos/topology.updated` showing the link DOWN (the server's part: the baseline);
 *   tPaint the page's edge turned DOWN (its colour set by the page) and the next animation frame ran (the repaint).
 * Reported: median and p95 of tWs - t0, tPaint - t0, and their ratio. Prints
 * the table and the load average, writes JSON to load-tests/results/.
 */
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import type { Ovs } from '../test/env/ovs.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startProgress } from './lib/progress.js';
import { writeResult } from './lib/run.js';
import { chromiumPath, launch } from '../test/integration/ui/browser.js';
import { restoreRingLink, ringLink, startUiRing, UI_CONFIG } from '../test/integration/ui/harness.js';
import { startControllerProcess } from '../test/helpers/controller-process.js';
import { until } from '../test/helpers/log.js';

const { values } = parseArgs({ options: { flaps: { type: 'string', default: '20' } } });
const flaps = Math.max(1, Math.min(200, Number(values.flaps)));
const LINK = ringLink(1);
const now = (): number => performance.timeOrigin + performance.now();

const executable = chromiumPath();
if (!executable) throw new Error('chromium not found: npm run setup installs it');

// The controller in its own process (as `npm run dev`), so that this observer's event loop is idle.
const dir = mkdtempSync(join(tmpdir(), 'bench-ui-'));
// Stats polls at their default pace (the tests poll every second to see counters soon).
const config = structuredClone(UI_CONFIG);
config.napps.settings['kytos/of_core'] = { STATS_INTERVAL: 60 };
writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
const c = await startControllerProcess({ LATTICE_CONFIG: join(dir, 'config.json') });
const openflowPort = Number(/OpenFlow on [^:]+:(\d+)/.exec(c.stderr())![1]);
const baseUrl = c.url;
let ovs: Ovs | undefined;
let browser: Browser | undefined;
const progress = startProgress('bench:ui', { total: flaps });
try {
  ovs = await startUiRing(openflowPort, baseUrl);
  browser = await launch(executable);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${baseUrl}/ui/`);
  await page.waitForFunction((id) => (window as any).__lattice?.cy.getElementById(id).data('status') === 'UP', LINK, { timeout: 15_000 });
  // The page notes when the edge turns DOWN, at the next animation frame (the repaint).
  await page.evaluate((id) => {
    const w = window as any;
    w.__benchPaints = [];
    w.__lattice.cy.on('data', `edge[id = "${id}"]`, (e: any) => {
      if (e.target.data('status') !== 'DOWN' || w.__benchArmed !== true) return;
      w.__benchArmed = false;
      requestAnimationFrame(() => w.__benchPaints.push(performance.timeOrigin + performance.now()));
    });
  }, LINK);

  // The baseline observer: a WebSocket client of the same event stream, in this process.
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/kytos/core/events/ws`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ subscribe: ['kytos/of_core\\.v0x04\\.messages\\.in\\.ofpt_port_status', 'kytos/topology\\.updated'] }));
  let t0: number | undefined;
  let tWs: number | undefined;
  ws.on('message', (data) => {
    const at = now();
    const e = JSON.parse(String(data)) as { name?: string; content?: any };
    if (e.name?.endsWith('ofpt_port_status')) t0 ??= at;
    else if (e.name === 'kytos/topology.updated' && t0 !== undefined && tWs === undefined && e.content?.topology?.links?.[LINK]?.status === 'DOWN') tWs = at;
  });
  await until(() => ws.readyState === WebSocket.OPEN, 2000, 'subscribed');

  const samples: { ws: number; paint: number }[] = [];
  for (let i = 0; i < flaps; i++) {
    progress.step(`flap ${i + 1}`, i);
    t0 = undefined;
    tWs = undefined;
    await page.evaluate(() => ((window as any).__benchArmed = true));
    await ovs.delPort('u1', 'u1-u2');
    const paint = (await until(async () => page.evaluate(() => (window as any).__benchPaints.shift() as number | undefined), 10_000, 'edge repainted DOWN'))!;
    await until(() => tWs !== undefined, 5000, 'topology.updated DOWN over the WebSocket');
    if (t0 === undefined) throw new Error('no ofpt_port_status event seen');
    samples.push({ ws: tWs! - t0, paint: paint - t0 });
    await restoreRingLink(ovs, 1);
    await page.waitForFunction((id) => (window as any).__lattice.cy.getElementById(id).data('status') === 'UP', LINK, { timeout: 15_000 });
  }
  progress.stop();
  ws.close();

  const pct = (xs: number[], p: number): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
  };
  const stat = (xs: number[]) => ({ median: +pct(xs, 50).toFixed(1), p95: +pct(xs, 95).toFixed(1), min: +Math.min(...xs).toFixed(1), max: +Math.max(...xs).toFixed(1) });
  const wsStat = stat(samples.map((s) => s.ws));
  const paintStat = stat(samples.map((s) => s.paint));
  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  const result = {
    flaps,
    loadavg: load,
    portStatusToTopologyUpdatedMs: wsStat,
    portStatusToRepaintMs: paintStat,
    ratioRepaintToServer: { median: +(paintStat.median / Math.max(wsStat.median, 0.1)).toFixed(2), p95: +(paintStat.p95 / Math.max(wsStat.p95, 0.1)).toFixed(2) },
    samples,
  };
  process.stdout.write(
    [
      `bench:ui: ${flaps} flaps of link ${LINK} (patch port deleted, then added back), load average ${load}`,
      '                                          median     p95     min     max (ms)',
      `PORT_STATUS -> topology.updated (WS)  ${[wsStat.median, wsStat.p95, wsStat.min, wsStat.max].map((x) => String(x).padStart(8)).join('')}`,
      `PORT_STATUS -> page repaint (edge red)${[paintStat.median, paintStat.p95, paintStat.min, paintStat.max].map((x) => String(x).padStart(8)).join('')}`,
      `repaint / server ratio: median ${result.ratioRepaintToServer.median}x, p95 ${result.ratioRepaintToServer.p95}x`,
      `written: ${writeResult('bench-ui', result)}`,
      '',
    ].join('\n'),
  );
} finally {
  progress.stop();
  await browser?.close();
  await c.stop();
  await ovs?.stop();
  rmSync(dir, { recursive: true, force: true });
}
