import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import * as errors from '../../../src/errors/index.js';
import {
  ErrorCode,
  HTTP_STATUS,
  LatticeError,
  MailboxFullError,
  NAppNotInstalledError,
  RETRY_AFTER_SECONDS,
  SwitchNotConnectedError,
  SwitchRequestError,
  toHttpError,
} from '../../../src/errors/index.js';
import { ofp } from '../../../src/openflow/index.js';
import { FramingError } from '../../../src/southbound/framing.js';
import { StoreClosedError, StoreOperationError, StoreUnavailableError, StoreValidationError } from '../../../src/store/errors.js';

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
    // The table has a status for exactly the declared codes, no stray ones.
    expect(Object.keys(HTTP_STATUS).sort()).to.deep.equal(Object.values(ErrorCode).sort());
  });

  it('should give every error class a declared code with a status', () => {
    const samples: LatticeError[] = [
      new SwitchNotConnectedError('00:00:00:00:00:00:00:01'),
      new SwitchRequestError(ErrorCode.SwitchTimeout, 'no answer'),
      SwitchRequestError.rejected(5, 1, false),
      new FramingError(ErrorCode.FrameTooShort, 2, Buffer.alloc(4), 0),
      new StoreUnavailableError('down', { backend: 'embedded' }),
      new StoreClosedError(),
      new StoreValidationError('bad key'),
      new StoreOperationError('refused'),
      new NAppNotInstalledError('me/absent'),
    ];
    for (const e of samples) {
      expect(e, e.name).to.be.instanceOf(LatticeError);
      expect(Object.values(ErrorCode), e.name).to.include(e.code);
    }
    // Every exported class of src/errors, too.
    for (const [name, value] of Object.entries(errors)) {
      if (typeof value === 'function' && value.prototype instanceof Error) {
        expect(value.prototype instanceof LatticeError || value === LatticeError, name).to.equal(true);
      }
    }
  });

  it('should keep the store codes on their own classes', () => {
    expect(new StoreUnavailableError('down', { backend: 'mongodb' }).code).to.equal(ErrorCode.StoreUnavailable);
    expect(new StoreClosedError().code).to.equal(ErrorCode.StoreClosed);
    expect(new StoreValidationError('bad').code).to.equal(ErrorCode.StoreInvalid);
    expect(new StoreOperationError('no').code).to.equal(ErrorCode.StoreFailed);
    expect(toHttpError(new StoreValidationError('bad key')).status).to.equal(400);
  });

  it('should map switch failures to fixed statuses', () => {
    expect(toHttpError(new SwitchNotConnectedError('00:00:00:00:00:00:00:09'))).to.deep.equal({
      status: 424,
      body: { description: 'switch 00:00:00:00:00:00:00:09 is not connected', code: 424 },
    });
    expect(toHttpError(new SwitchRequestError(ErrorCode.SwitchDisconnected, 'closed')).status).to.equal(424);
    expect(toHttpError(new SwitchRequestError(ErrorCode.SwitchTimeout, 'no answer')).status).to.equal(504);
    // OFPT_ERROR: the switch refused (502), or the request was wrong (400); the body names type and code.
    const refused = toHttpError(SwitchRequestError.rejected(ofp.OFPET.BAD_REQUEST, ofp.OFPBRC.EPERM, false));
    expect(refused).to.deep.equal({ status: 502, body: { description: { error_type: 1, error_code: 5 }, code: 502 } });
    const wrong = toHttpError(SwitchRequestError.rejected(ofp.OFPET.BAD_ACTION, 4, true));
    expect(wrong).to.deep.equal({ status: 400, body: { description: { error_type: 2, error_code: 4 }, code: 400 } });
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
    const view = toHttpError(new StoreUnavailableError('database is down', { backend: 'mongodb' }));
    expect(view.status).to.equal(503);
    expect(view.retryAfter).to.be.a('number');
  });

  it('should not duck-type: an object or plain Error that only has a known code is a bare 500', () => {
    const internal = { status: 500, body: { description: 'Internal server error', code: 500 } };
    expect(toHttpError({ code: 'STORE_UNAVAILABLE', message: 'database is down' })).to.deep.equal(internal);
    expect(toHttpError(Object.assign(new Error('x'), { code: 'NOT_FOUND' }))).to.deep.equal(internal);
    expect(toHttpError(new LatticeError('constructor', 'not a table code'))).to.deep.equal(internal);
  });
});
