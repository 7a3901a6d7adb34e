import { randomUUID } from 'node:crypto';
import type { Clock } from '../actor/clock.js';
import type { Collection, Store } from '../store/ports.js';
import { hashPassword } from './password.js';
import { roleOf, viewOf, type Role, type UserDoc, type UserInput, type UserView } from './users.js';

/** What a token check needs to know of a user, kept in memory. */
export interface UserState {
  uid: string;
  username: string;
  active: boolean;
  role: Role;
  /** Tokens issued before this second (epoch seconds) are refused: the password changed then. */
  tokensAfter: number;
  /** Tokens of an older generation are refused (`UserDoc.token_generation`), whatever their second. */
  generation: number;
}

export type DirectoryResult<T> = { ok: true; value: T } | { ok: false; status: 404 | 409; message: string };

/**
 * The users, in the store's core collection `users` (Kytos-ng's collection
 * name and document shape, keyed by `_id`, with a unique index on `username`), with an
 * in-memory copy of each user's state for the per-request token check: kept
 * current by every write made here, and re-read (`refresh`) periodically by
 * the auth service (users changed by another process, a restore). Writes are
 * serialized so that usernames stay unique.
 */
export class UserDirectory {
  readonly collection: Collection<UserDoc>;
  private byUid = new Map<string, UserState>();
  private activeCount = 0;
  /** False until the users were read once (the store may be down at start). */
  loaded = false;
  /** Writes made through this directory (a refresh that overlaps one keeps the cache). */
  private writes = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    store: Store,
    private readonly clock: Clock,
  ) {
    this.collection = store.collection<UserDoc>('users', { key: '_id', indexes: ['username'], unique: ['username'] });
  }

  async refresh(): Promise<void> {
    const writesBefore = this.writes;
    const next = new Map<string, UserState>();
    for (const doc of await this.collection.all()) next.set(doc._id, stateOf(doc));
    // A write made here while the store was read is newer than what was read (a revocation must
    // not be undone by a stale snapshot): keep the cache; the next refresh reads it.
    if (this.writes !== writesBefore && this.loaded) return;
    this.byUid = next;
    this.loaded = true;
    this.count();
  }

  private count(): void {
    let n = 0;
    for (const u of this.byUid.values()) if (u.active) n++;
    this.activeCount = n;
  }

  private remember(doc: UserDoc): void {
    this.writes++;
    this.byUid.set(doc._id, stateOf(doc));
    this.count();
  }

  /** Synchronous, per request: the cached state of a token's user. */
  state(uid: string): UserState | undefined {
    return this.byUid.get(uid);
  }

  /** True while no user exists at all (active or not): the first-run bootstrap. Never before the users were read. */
  get empty(): boolean {
    return this.loaded && this.byUid.size === 0;
  }

  get active(): number {
    return this.activeCount;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async find(username: string): Promise<UserDoc | undefined> {
    const [doc] = await this.collection.list({ index: 'username', equals: username, limit: 1 });
    return doc;
  }

  async list(): Promise<UserView[]> {
    return (await this.collection.all()).map(viewOf);
  }

  create(input: { username: string; email: string; password: string; role: Role }): Promise<DirectoryResult<UserView>> {
    return this.serial(async () => {
      if (await this.find(input.username)) return { ok: false, status: 409, message: `${input.username} already exists.` };
      const now = new Date(this.clock.now());
      const stored = await hashPassword(input.password);
      const doc: UserDoc = {
        _id: randomUUID(),
        username: input.username,
        email: input.email,
        ...stored,
        state: 'active',
        role: input.role,
        inserted_at: now,
        updated_at: now,
        deleted_at: null,
      };
      try {
        await this.collection.create(doc);
      } catch (error) {
        // Another process took the name first (the store's unique index on username).
        if (isConflict(error)) return { ok: false, status: 409, message: `${input.username} already exists.` };
        throw error;
      }
      this.remember(doc);
      return { ok: true, value: viewOf(doc) };
    });
  }

  update(username: string, input: UserInput): Promise<DirectoryResult<UserView>> {
    return this.serial(async () => {
      const doc = await this.find(username);
      if (!doc) return { ok: false, status: 404, message: `User ${username} not found` };
      if (input.username !== undefined && input.username !== username && (await this.find(input.username))) {
        return { ok: false, status: 409, message: `${username} already exists.` };
      }
      const changes: Partial<UserDoc> = { updated_at: new Date(this.clock.now()) };
      if (input.username !== undefined) changes.username = input.username;
      if (input.email !== undefined) changes.email = input.email;
      if (input.role !== undefined) changes.role = input.role;
      if (input.password !== undefined) {
        Object.assign(changes, await hashPassword(input.password), { password_changed_at: changes.updated_at, token_generation: generationOf(doc) + 1 });
      }
      let after: UserDoc | undefined;
      try {
        after = await this.collection.patch(doc._id, changes);
      } catch (error) {
        if (isConflict(error)) return { ok: false, status: 409, message: `${username} already exists.` };
        throw error;
      }
      if (!after) return { ok: false, status: 404, message: `User ${username} not found` };
      this.remember(after);
      return { ok: true, value: viewOf(after) };
    });
  }

  /** Kytos-ng's soft delete: `state: inactive`, `deleted_at` set; the user's tokens stop working at once. */
  deactivate(username: string): Promise<DirectoryResult<UserView>> {
    return this.serial(async () => {
      const doc = await this.find(username);
      if (!doc) return { ok: false, status: 404, message: `User ${username} not found` };
      const after = await this.collection.patch(doc._id, { state: 'inactive', deleted_at: new Date(this.clock.now()) });
      if (!after) return { ok: false, status: 404, message: `User ${username} not found` };
      this.remember(after);
      return { ok: true, value: viewOf(after) };
    });
  }
}

function isConflict(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'CONFLICT';
}

function stateOf(doc: UserDoc): UserState {
  const changed = doc.password_changed_at instanceof Date ? Math.floor(doc.password_changed_at.getTime() / 1000) : 0;
  return { uid: doc._id, username: doc.username, active: doc.state === 'active', role: roleOf(doc), tokensAfter: changed, generation: generationOf(doc) };
}

/** A stored user's token generation (0 when absent or not a count, e.g. imported from Kytos-ng). */
export function generationOf(doc: Pick<UserDoc, 'token_generation'>): number {
  const g = doc.token_generation;
  return typeof g === 'number' && Number.isSafeInteger(g) && g > 0 ? g : 0;
}
