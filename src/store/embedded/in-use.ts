/**
 * Which other processes have the embedded store open: LMDB keeps a reader
 * slot per process (and thread) that reads, for as long as it has the
 * environment open. Slots of processes that died are cleared first
 * (`readerCheck`), so a controller killed with -9 does not count.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { open } from 'lmdb';

export function embeddedStoreUsers(dataDir: string): number[] {
  const dir = path.join(dataDir, 'store');
  if (!existsSync(path.join(dir, 'data.mdb'))) return [];
  const db = open({ path: dir, encoding: 'binary', readOnly: true });
  try {
    db.readerCheck();
    const pids = new Set<number>();
    // "pid thread txnid" lines after a header.
    for (const line of db.readerList().split('\n').slice(1)) {
      const pid = Number(line.trim().split(/\s+/)[0]);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) pids.add(pid);
    }
    return [...pids].sort((a, b) => a - b);
  } finally {
    void db.close();
  }
}
