/** The two adapters behind one interface, for the contract suite and the integration tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { openStore, type Store, type StoreOptions } from '../../src/store/index.js';
import { startMongoWireOrSkip, type MongoWire } from '../env/mongo.js';

export interface Harness {
  readonly backend: 'embedded' | 'mongodb';
  /** Opens a store on the same data as every previous open (so open after close = reopen). */
  open(): Promise<Store>;
  /** The options `open()` uses (without the logger), e.g. for a child process. */
  options(): Omit<StoreOptions, 'log'>;
  /** Set up in a mocha `before` hook (may skip outside CI when no server exists). */
  setUp(ctx: Mocha.Context): Promise<void>;
  tearDown(): Promise<void>;
}

export const silent = pino({ level: 'silent' });

export function embeddedHarness(): Harness {
  let dir = '';
  return {
    backend: 'embedded',
    async setUp() {
      dir = mkdtempSync(path.join(os.tmpdir(), 'lattice-store-'));
    },
    options: () => ({ backend: 'embedded', dataDir: dir, mongodb: { uri: '', dbName: '' } }),
    open: () => openStore({ backend: 'embedded', dataDir: dir, mongodb: { uri: '', dbName: '' }, log: silent }),
    async tearDown() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function mongoHarness(): Harness & { wire(): MongoWire } {
  let wire: MongoWire | undefined;
  const dbName = `lattice_contract_${process.pid}`;
  return {
    backend: 'mongodb',
    wire: () => wire!,
    async setUp(ctx) {
      ctx.timeout(60_000);
      wire = await startMongoWireOrSkip(ctx);
    },
    options: () => ({ backend: 'mongodb', dataDir: '', mongodb: { uri: wire!.uri, dbName } }),
    open: () => openStore({ backend: 'mongodb', dataDir: '', mongodb: { uri: wire!.uri, dbName }, log: silent }),
    async tearDown() {
      await wire?.stop();
    },
  };
}
