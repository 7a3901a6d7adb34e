/**
 * Compare-and-set for servers whose conditional update is not atomic.
 * FerretDB 1.x evaluates an update's filter and writes the document in two
 * steps, so two findOneAndUpdate calls filtered on one expected value can
 * both apply (measured: 50 writers in two clients lost 2 to 9 increments).
 * Its unique constraints are atomic, so a CAS first claims the state it read:
 * it inserts `<collection>/<key>/<hash of the stored document>` into
 * `_lattice.claims`, and only the one writer whose insert succeeds applies.
 * A claim is removed once the new state is written; a claim older than
 * CLAIM_TTL_MS (its writer died) is removed by the next writer that trips on
 * it. This makes patchIf exact against other patchIf calls, from any number
 * of processes; a plain put/patch racing one is ordered either way.
 */
import { createHash } from 'node:crypto';
import { BSON, type Collection as MongoColl, type Db, type Document } from 'mongodb';
import { isDuplicateKey } from './classify.js';
import type { Stored } from './batch-journal.js';

export const CLAIMS = '_lattice.claims';
export const CLAIM_TTL_MS = 30_000;

interface Claim {
  _id: string;
  at: Date;
}

/** The claim id of one stored state of one document. */
export function claimId(collection: string, key: string, stored: Stored): string {
  const hash = createHash('sha256').update(BSON.serialize(stored)).digest('base64url');
  return `${collection}/${key}/${hash}`;
}

/**
 * Applies `set` to the document `key` only if it still is `seen` (a state
 * already checked against the caller's expected values) and no other writer
 * claimed that state. Resolves to the new stored document, or undefined when
 * the state changed or another writer won it.
 */
export async function setIfUnchanged(
  now: () => number,
  db: Db,
  coll: MongoColl<Stored>,
  name: string,
  key: string,
  seen: Stored,
  set: Document | undefined,
): Promise<Stored | undefined> {
  const claims = db.collection<Claim>(CLAIMS);
  const id = claimId(name, key, seen);
  if (!(await claim(claims, id, now))) return undefined;
  try {
    // Re-read after claiming: a writer that read this state long ago must not apply over a newer one.
    const current = await coll.findOne({ _id: key });
    if (!current || claimId(name, key, current) !== id) return undefined;
    if (!set) return current;
    return (await coll.findOneAndUpdate({ _id: key }, { $set: set }, { returnDocument: 'after' })) ?? undefined;
  } finally {
    await claims.deleteOne({ _id: id });
  }
}

/** Inserts the claim; on a duplicate, removes it when stale and tries once more. */
async function claim(claims: MongoColl<Claim>, id: string, now: () => number): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await claims.insertOne({ _id: id, at: new Date(now()) });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const held = await claims.findOne({ _id: id });
      if (held && now() - held.at.getTime() < CLAIM_TTL_MS) return false;
      if (held) await claims.deleteOne({ _id: id, at: held.at });
    }
  }
  return false;
}
