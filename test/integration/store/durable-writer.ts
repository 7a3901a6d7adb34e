/**
 * Child process for the durability test: opens the store, writes without
 * pause (8 concurrent writers, every 5th write a batch of 3 documents) and
 * prints `ack <key>` on stdout for each write once its promise resolved.
 * The parent kills it with SIGKILL mid-stream. Usage:
 *   node --import tsx durable-writer.ts '<json StoreOptions minus log>'
 */
import { pino } from 'pino';
import { openStore, type StoreOptions } from '../../../src/store/index.js';

export interface DurableDoc {
  id: string;
  n: number;
  payload: string;
  at: Date;
}

/** The document with sequence number n (the parent recomputes it to check content). */
export function durableDoc(n: number): DurableDoc {
  return { id: `k${String(n).padStart(7, '0')}`, n, payload: `p${n}-`.repeat((n % 40) + 1), at: new Date(1_700_000_000_000 + n) };
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2]!) as Omit<StoreOptions, 'log'>;
  const store = await openStore({ ...options, log: pino({ level: 'silent' }) });
  const coll = store.collection<DurableDoc>('durable', { key: 'id', indexes: ['n'] });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out('ready');
  let seq = 0;
  const stopAt = Date.now() + 30_000; // safety: never outlive a broken parent
  const worker = async () => {
    while (Date.now() < stopAt) {
      const n = seq;
      if (n % 5 === 4) {
        seq += 3;
        const docs = [durableDoc(n), durableDoc(n + 1), durableDoc(n + 2)];
        await coll.batch(docs.map((doc) => ({ op: 'put' as const, doc })));
        out(`ack ${n} ${n + 1} ${n + 2}`);
      } else {
        seq += 1;
        await coll.put(durableDoc(n));
        out(`ack ${n}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await store.close();
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  main().catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  });
}
