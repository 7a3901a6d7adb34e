import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ErrorCode, HTTP_STATUS, MailboxFullError, RETRY_AFTER_SECONDS, toHttpError } from '../../../src/errors/index.js';

/** The README's "Error codes" table, parsed: code -> status. */
function documented(): Map<string, number> {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.split('## Error codes')[1]!.split('\n## ')[0]!;
  const rows = new Map<string, number>();
  for (const m of section.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)) rows.set(m[1]!, Number(m[2]));
  return rows;
}

describe('error code -> HTTP status table', () => {
  it('should match the README table exactly, for every code', () => {
    const docs = documented();
    expect(docs.size).to.be.greaterThan(0);
    for (const code of Object.values(ErrorCode)) {
      expect(HTTP_STATUS[code], `${code} has a status`).to.be.a('number');
      expect(docs.get(code), `${code} is documented`).to.equal(HTTP_STATUS[code]);
    }
    expect([...docs.keys()].sort()).to.deep.equal(Object.values(ErrorCode).sort());
  });

  it('should render Kytos error bodies with Retry-After where the code asks for it', () => {
    const view = toHttpError(new MailboxFullError('route:x', 8));
    expect(view.status).to.equal(503);
    expect(view.body).to.deep.equal({ description: 'Actor route:x is busy (mailbox of 8 is full)', code: 503 });
    expect(view.retryAfter).to.equal(RETRY_AFTER_SECONDS[ErrorCode.MailboxFull]);
  });

  it('should never leak an unknown error message or stack', () => {
    const view = toHttpError(new Error('password=hunter2 at /secret/path'));
    expect(view).to.deep.equal({ status: 500, body: { description: 'Internal server error', code: 500 } });
  });

  it('should map the store unavailability code to 503 with Retry-After', () => {
    const view = toHttpError({ code: 'STORE_UNAVAILABLE', message: 'database is down' });
    expect(view.status).to.equal(503);
    expect(view.retryAfter).to.be.a('number');
  });
});
