import { expect } from 'chai';
import { request } from 'node:http';
import { defineNApp } from '../../../src/sdk/index.js';
import { createTestController } from '../../../src/sdk/test-kit.js';
import { until } from '../../helpers/log.js';

/** Answers of the slow route, released by the test. */
const held: Array<() => void> = [];
let answered = 0;

const slow = defineNApp<Record<string, never>>({
  manifest: { username: 'test', name: 'slow', version: '1.0.0' },
  settings: {},
  routes: () => [
    {
      method: 'GET', access: 'read', path: 'v1/slow',
      handler: () =>
        new Promise((resolve) => {
          held.push(() => {
            answered++;
            resolve({ body: { ok: true } });
          });
        }),
    },
    { method: 'GET', access: 'read', path: 'v1/now', handler: () => ({ body: { now: true } }) },
  ],
});

/** A GET whose socket is destroyed once the server has the request (it never reads an answer). */
function abandon(port: number, path: string): Promise<void> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.end();
    void until(async () => held.length > 0, 3000, 'the slow request reached its route').then(() => req.destroy());
  });
}

describe('HTTP: a client gone before its answer', () => {
  it('should drop the answer of an aborted request (route answered later), and keep serving asynchronous and synchronous routes', async () => {
    const t = await createTestController({ napps: [slow] });
    try {
      await abandon(t.port, '/api/test/slow/v1/slow');
      // The aborted request's answer comes after the client left: written nowhere, nothing thrown.
      held.shift()!();
      expect(answered).to.equal(1);
      expect((await t.http.get('/api/test/slow/v1/now')).body).to.deep.equal({ now: true });
      const pending = t.http.get('/api/test/slow/v1/slow');
      await until(async () => held.length > 0, 3000, 'the second slow request reached its route');
      held.shift()!();
      const r = await pending;
      expect(r.status).to.equal(200);
      expect(r.body).to.deep.equal({ ok: true });
    } finally {
      await t.stop();
    }
  });
});
