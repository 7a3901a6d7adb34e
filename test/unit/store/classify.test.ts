import { expect } from 'chai';
import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { isConnectionError, isTransientServerError } from '../../../src/store/mongodb/classify.js';

describe('MongoDB error classification', () => {
  it('should treat network and server-selection errors as the store being down', () => {
    expect(isConnectionError(new MongoNetworkError('connection closed'))).to.equal(true);
    expect(isConnectionError(new MongoServerSelectionError('no server', { error: undefined } as never))).to.equal(true);
    expect(isConnectionError(new MongoServerError({ message: 'dup', code: 11000 }))).to.equal(false);
    expect(isConnectionError(new Error('other'))).to.equal(false);
    const epipe = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
    expect(isConnectionError(epipe)).to.equal(true);
  });

  it('should retry shutdown, step-down, write-conflict and labelled errors, not validation failures', () => {
    for (const code of [91, 189, 10107, 11600, 112, 11000]) {
      expect(isTransientServerError(new MongoServerError({ message: 'x', code })), String(code)).to.equal(true);
    }
    expect(isTransientServerError(new MongoServerError({ message: 'x', code: 1, errorLabels: ['RetryableWriteError'] }))).to.equal(true);
    for (const code of [2, 17280, 10334, 121]) {
      expect(isTransientServerError(new MongoServerError({ message: 'x', code })), String(code)).to.equal(false);
    }
    expect(isTransientServerError(new MongoNetworkError('net'))).to.equal(false);
  });
});
