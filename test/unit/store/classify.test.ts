import { expect } from 'chai';
import { MongoBulkWriteError, MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { duplicateKeyIndex, isConnectionError, isDuplicateKey, isTransientServerError } from '../../../src/store/mongodb/classify.js';

describe('MongoDB error classification', () => {
  it('should treat network and server-selection errors as the store being down', () => {
    expect(isConnectionError(new MongoNetworkError('connection closed'))).to.equal(true);
    expect(isConnectionError(new MongoServerSelectionError('no server', { error: undefined } as never))).to.equal(true);
    expect(isConnectionError(new MongoServerError({ message: 'dup', code: 11000 }))).to.equal(false);
    expect(isConnectionError(new Error('other'))).to.equal(false);
    const epipe = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
    expect(isConnectionError(epipe)).to.equal(true);
  });

  it('should see the connection error a bulk write wraps, network or server selection, and not a refused write', () => {
    // As the driver builds them (bulk/common.js): the error it caught, or the write errors.
    const wrap = (e: unknown) => new MongoBulkWriteError(e as never, {} as never);
    expect(isConnectionError(wrap(new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:1')))).to.equal(true);
    expect(isConnectionError(wrap(new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:1', {} as never)))).to.equal(true);
    expect(isConnectionError(wrap({ message: 'E11000', code: 11000, writeErrors: [{ code: 11000, index: 0 }] }))).to.equal(false);
    expect(isConnectionError(wrap(new MongoServerError({ message: 'x', code: 2 })))).to.equal(false);
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

  it('should tell which index refused a duplicate key, on MongoDB and FerretDB', () => {
    const mongo = (errmsg: string, extra: object = {}) => new MongoServerError({ message: errmsg, errmsg, code: 11000, ...extra });
    expect(duplicateKeyIndex(mongo('E11000 duplicate key error collection: db.c index: lattice_unique_cookie dup key: { cookie: 1 }'))).to.equal('cookie');
    expect(duplicateKeyIndex(mongo('E11000 duplicate key error collection: db.c index: _id_ dup key: { _id: "k" }'))).to.equal('_id');
    expect(duplicateKeyIndex(mongo('E11000', { keyPattern: { 'meta.owner': 1 } }))).to.equal('meta.owner');
    // FerretDB 1.x: inserts say nothing about the index; updates fail as InternalError from SQLite.
    expect(isDuplicateKey(mongo('E11000 duplicate key error collection: db.c'))).to.equal(true);
    expect(duplicateKeyIndex(mongo('E11000 duplicate key error collection: db.c'))).to.equal(undefined);
    const sqlite = "constraint failed: UNIQUE constraint failed: index 'c_fd0c5087_lattice_unique_cookie' (2067)";
    const ferret = new MongoServerError({ message: sqlite, errmsg: sqlite, code: 1 });
    expect(isDuplicateKey(ferret)).to.equal(true);
    expect(duplicateKeyIndex(ferret)).to.equal('cookie');
    expect(isDuplicateKey(new MongoServerError({ message: 'x', code: 1 }))).to.equal(false);
  });
});
