import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { createTestController, type TestController } from '../../../src/sdk/test-kit.js';
import { until } from '../../helpers/log.js';
import { launch, seriousViolations, skipWithoutChromium } from './browser.js';
import { ADMIN } from './harness.js';

describe('web UI login with protected reads (Chromium)', function () {
  this.timeout(60_000);
  let t: TestController;
  let browser: Browser;
  let page: Page;

  before(async function () {
    const chromium = skipWithoutChromium(this)!;
    t = await createTestController({ config: { auth: { protectReads: true }, napps: { enabled: ['kytos/of_core', 'kytos/topology'] } } });
    expect((await t.http.post('/api/kytos/core/auth/users/', ADMIN)).status).to.equal(201);
    browser = await launch(chromium);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  const dialogOpen = () => page.evaluate(() => (document.getElementById('login') as HTMLDialogElement).open);

  it('should ask for a login when the data answers 401, then load it and follow events with the token', async () => {
    await page.goto(`${t.http.baseUrl}/ui/`);
    await until(dialogOpen, 10_000, 'the login dialog opened by a 401');
    expect(await page.textContent('#login-why')).to.match(/401/);
    expect(await seriousViolations(page)).to.deep.equal([]);
    await page.fill('#login-user', ADMIN.username);
    await page.fill('#login-pass', 'Wrong1234');
    await page.keyboard.press('Enter');
    await until(() => page.textContent('#login-msg').then((m) => /^401/.test(m ?? '')), 10_000, 'the refused login said so');
    await page.fill('#login-pass', ADMIN.password);
    await page.keyboard.press('Enter');
    await until(async () => !(await dialogOpen()), 10_000, 'dialog closed');
    // The WebSocket comes back with the token, and the topology loads.
    await until(() => page.textContent('#conn').then((c) => c === 'events: live'), 10_000, 'events live with the token');
    await until(() => page.textContent('#switches-title').then((x) => x === 'Switches (0)'), 10_000, 'topology loaded');
  });

  it('should keep the token in memory only: nothing in storage or cookies, and a reload asks again', async () => {
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie])).to.deep.equal([0, 0, '']);
    await page.reload();
    await until(dialogOpen, 10_000, 'the login dialog again after a reload');
    expect(await page.textContent('#who')).to.equal('not logged in');
  });
});
