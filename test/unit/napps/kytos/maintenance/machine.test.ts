/** kytos/maintenance stepped on a manual clock: every transition and every refusal of its machine. */
import { expect } from 'chai';
import maintenance from '../../../../../napps/kytos/maintenance/index.js';
import { validateWindow, type Win } from '../../../../../napps/kytos/maintenance/logic.js';
import {
  ManualClock,
  askInput,
  createMaintenance,
  deleteMaintenance,
  endMaintenance,
  extendMaintenance,
  getMaintenance,
  getTopology,
  interruptionEnd,
  interruptionStart,
  listInterruptions,
  listMaintenances,
  stepNApp,
  updateMaintenance,
  type HeldInterruption,
  type StepInput,
  type TopologyJson,
} from '../../../../../src/sdk/index.js';
import { MemoryStore } from '../topology/memory-store.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const MIN = 60_000;
const at = (min: number) => new Date(T0 + min * MIN).toISOString().replace('.000Z', '+0000');
const S1 = '00:00:00:00:00:00:00:01';
const S2 = '00:00:00:00:00:00:00:02';
const S3 = '00:00:00:00:00:00:00:03';
const LINK = 'a'.repeat(64);
const topo = {
  switches: {
    [S1]: { id: S1, interfaces: { [`${S1}:1`]: { id: `${S1}:1` }, [`${S1}:2`]: { id: `${S1}:2` } } },
    [S2]: { id: S2, interfaces: { [`${S2}:1`]: { id: `${S2}:1` } } },
    [S3]: { id: S3, interfaces: { [`${S3}:1`]: { id: `${S3}:1` } } },
  },
  links: { [LINK]: { id: LINK, endpoint_a: { id: `${S1}:2` }, endpoint_b: { id: `${S2}:1` } } },
} as unknown as TopologyJson;

/** A window from API-shaped input, validated at T0. */
function win(data: Record<string, unknown>): Win {
  const v = validateWindow({ start: at(10), end: at(20), switches: [S1], ...data }, T0);
  if ('error' in v) throw new Error(v.error);
  return v.window;
}
const create = (data: Record<string, unknown>, force = false) => askInput(createMaintenance, { window: win(data), force, now: T0 });

async function run(inputs: StepInput[], store = new MemoryStore(), clock = new ManualClock(T0), held: HeldInterruption[] = []) {
  const r = await stepNApp(maintenance, inputs, { store, clock, replies: { [getTopology.type]: () => topo, [listInterruptions.type]: () => held } });
  const stored = store.data.get('windows') ?? new Map();
  return { ...r, store, stored: stored as Map<string, Win>, windows: r.snapshot.context.windows as Record<string, Win> };
}
const message = (a: { error?: unknown }) => (a.error as Error | undefined)?.message;
/** The HTTP status the error class answers. */
const status = (a: { error?: unknown }) => ({ BadRequestError: 400, NotFoundError: 404, ConflictError: 409 })[(a.error as Error | undefined)?.name ?? ''] as number | undefined;

describe('kytos/maintenance machine (manual clock)', () => {
  describe('transitions', () => {
    it('stores a new window pending and answers its id, publishing nothing', async () => {
      const r = await run([create({ id: 'w1' })]);
      expect(r.answers[0]!.value).to.deep.equal({ mw_id: 'w1' });
      expect(r.stored.get('w1')!.status).to.equal('pending');
      expect(r.stored.get('w1')!.start).to.equal('2026-01-01T00:10:00.000Z');
      expect(r.stored.get('w1')!.inserted_at).to.equal('2026-01-01T00:00:00.000Z');
      expect(r.emits).to.deep.equal([]);
    });

    it('starts on time with the expanded set (switch -> interfaces -> links) and ends on time', async () => {
      const r = await run([create({ id: 'w1' }), { advance: 10 * MIN - 1 }]);
      expect(r.emits).to.deep.equal([]);
      const started = await run([create({ id: 'w1' }), { advance: 10 * MIN }]);
      expect(started.stored.get('w1')!.status).to.equal('running');
      expect(started.emits).to.deep.equal([
        { name: interruptionStart.type, content: { type: 'maintenance', id: 'w1', switches: [S1], interfaces: [`${S1}:1`, `${S1}:2`], links: [LINK] } },
      ]);
      const ended = await run([create({ id: 'w1' }), { advance: 10 * MIN }, { advance: 10 * MIN }]);
      expect(ended.stored.get('w1')!.status).to.equal('finished');
      expect(ended.emits.map((e) => e.name)).to.deep.equal([interruptionStart.type, interruptionEnd.type]);
      expect(ended.emits[1]!.content).to.deep.equal(ended.emits[0]!.content);
    });

    it('expands an interface to its link and keeps a named link', async () => {
      const r = await run([create({ id: 'w1', switches: [], interfaces: [`${S2}:1`] }), { advance: 10 * MIN }]);
      expect(r.emits[0]!.content).to.deep.equal({ type: 'maintenance', id: 'w1', switches: [], interfaces: [`${S2}:1`], links: [LINK] });
    });

    it('ends a running window early: finished, interruption end, its end unchanged, no second end', async () => {
      const r = await run([create({ id: 'w1' }), { advance: 12 * MIN }, askInput(endMaintenance, { id: 'w1', now: T0 + 12 * MIN }), { advance: 20 * MIN }]);
      expect(r.answers[1]!.value).to.deep.equal({ response: 'Maintenance window w1 finished' });
      expect(r.stored.get('w1')!.status).to.equal('finished');
      expect(r.stored.get('w1')!.end).to.equal('2026-01-01T00:20:00.000Z');
      expect(r.emits.map((e) => e.name)).to.deep.equal([interruptionStart.type, interruptionEnd.type]);
    });

    it('extends a running window: it ends at the new end, not the old one', async () => {
      const base: StepInput[] = [create({ id: 'w1' }), { advance: 12 * MIN }, askInput(extendMaintenance, { id: 'w1', ms: 30 * MIN, now: T0 + 12 * MIN })];
      const before = await run([...base, { advance: 37 * MIN }]);
      expect(before.answers[1]!.value).to.deep.equal({ response: 'Maintenance w1 extended' });
      expect(before.stored.get('w1')!.end).to.equal('2026-01-01T00:50:00.000Z');
      expect(before.emits.map((e) => e.name)).to.deep.equal([interruptionStart.type]);
      const after = await run([...base, { advance: 38 * MIN }]);
      expect(after.emits.map((e) => e.name)).to.deep.equal([interruptionStart.type, interruptionEnd.type]);
    });

    it('updates a pending window and re-arms its start', async () => {
      const base: StepInput[] = [create({ id: 'w1' }), askInput(updateMaintenance, { id: 'w1', data: { start: at(30), end: '2026-01-01T00:40:00Z' }, now: T0 })];
      const r = await run([...base, { advance: 29 * MIN }]);
      expect(r.answers[1]!.value).to.deep.equal({ response: 'Maintenance w1 updated' });
      expect(r.stored.get('w1')).to.include({ start: '2026-01-01T00:30:00.000Z', end: '2026-01-01T00:40:00.000Z', status: 'pending' });
      expect(r.emits).to.deep.equal([]);
      const started = await run([...base, { advance: 30 * MIN }]);
      expect(started.emits.map((e) => e.name)).to.deep.equal([interruptionStart.type]);
    });

    it('deletes a pending window and its timer', async () => {
      const r = await run([create({ id: 'w1' }), askInput(deleteMaintenance, { id: 'w1' }), { advance: 30 * MIN }]);
      expect(r.answers[1]!.value).to.deep.equal({ response: 'Maintenance with id w1 successfully removed' });
      expect(r.stored.has('w1')).to.equal(false);
      expect(r.emits).to.deep.equal([]);
    });

    it('updates and deletes a finished window (as Kytos-ng), which stays finished and is not armed again', async () => {
      const now = T0 + 25 * MIN;
      const r = await run([
        create({ id: 'w1' }),
        { advance: 10 * MIN },
        { advance: 15 * MIN },
        askInput(updateMaintenance, { id: 'w1', data: { start: at(30), end: at(40) }, now }),
        { advance: 20 * MIN },
        askInput(getMaintenance, { id: 'w1' }),
        askInput(deleteMaintenance, { id: 'w1' }),
      ]);
      expect(r.answers[1]!.error, message(r.answers[1]!)).to.equal(undefined);
      expect(r.answers[1]!.value).to.deep.equal({ response: 'Maintenance w1 updated' });
      expect((r.answers[2]!.value as Win)).to.include({ status: 'finished', start: '2026-01-01T00:30:00.000Z' });
      expect(r.emits.map((e) => e.name)).to.deep.equal([interruptionStart.type, interruptionEnd.type]);
      expect(r.answers[3]!.value).to.deep.equal({ response: 'Maintenance with id w1 successfully removed' });
      expect(r.stored.has('w1')).to.equal(false);
    });

    it('lists windows in insertion order and gets one', async () => {
      const r = await run([create({ id: 'b' }), create({ id: 'a', start: at(30), end: at(40) }), askInput(listMaintenances, {}), askInput(getMaintenance, { id: 'a' }), askInput(getMaintenance, { id: 'x' })]);
      expect((r.answers[2]!.value as Win[]).map((w) => w.id)).to.deep.equal(['b', 'a']);
      expect((r.answers[3]!.value as Win).id).to.equal('a');
      expect(r.answers[4]!.value).to.equal(undefined);
    });
  });

  describe('refusals: the message, and nothing stored', () => {
    it('a duplicate id: 409', async () => {
      const r = await run([create({ id: 'w1' }), create({ id: 'w1', start: at(30), end: at(40) })]);
      expect(status(r.answers[1]!)).to.equal(409);
      expect(message(r.answers[1]!)).to.equal('Window with id: w1 already exists');
      expect(r.stored.size).to.equal(1);
    });

    it('an overlapping window, and with force only a component overlap', async () => {
      const r = await run([
        create({ id: 'w1' }),
        create({ id: 'w2', start: at(15), end: at(25), switches: [S2] }),
        create({ id: 'w3', start: at(15), end: at(25), switches: [S2] }, true),
        create({ id: 'w4', start: at(5), end: at(11), switches: [S1] }, true),
      ]);
      expect(status(r.answers[1]!)).to.equal(400);
      expect(message(r.answers[1]!)).to.equal(
        "Maintenance Window 'w2'<2026-01-01 00:15:00+00:00 to 2026-01-01 00:25:00+00:00> interferes with the following windows: ['w1'<2026-01-01 00:10:00+00:00 to 2026-01-01 00:20:00+00:00>]",
      );
      expect(r.answers[2]!.value).to.deep.equal({ mw_id: 'w3' });
      expect(message(r.answers[3]!)).to.match(/^Maintenance Window 'w4'.* interferes with the following windows: \['w1'/);
      expect([...r.stored.keys()]).to.deep.equal(['w1', 'w3']);
    });

    it('a finished window overlaps nothing', async () => {
      const r = await run([create({ id: 'w1' }), { advance: 12 * MIN }, askInput(endMaintenance, { id: 'w1', now: T0 + 12 * MIN }), create({ id: 'w2', start: at(15), end: at(25) })]);
      expect(r.answers[2]!.value).to.deep.equal({ mw_id: 'w2' });
    });

    it('PATCH: running, status, id changed, invalid dates, unknown id', async () => {
      const running: StepInput[] = [create({ id: 'w1' }), create({ id: 'w2', start: at(30), end: at(40) }), { advance: 10 * MIN }];
      const now = T0 + 10 * MIN;
      const r = await run([
        ...running,
        askInput(updateMaintenance, { id: 'w1', data: { description: 'x' }, now }),
        askInput(updateMaintenance, { id: 'w2', data: { status: 'running' }, now }),
        askInput(updateMaintenance, { id: 'w2', data: { id: 'other' }, now }),
        askInput(updateMaintenance, { id: 'w2', data: { end: at(25) }, now }),
        askInput(updateMaintenance, { id: 'w2', data: { start: at(5) }, now }),
        askInput(updateMaintenance, { id: 'nope', data: { description: 'x' }, now }),
      ]);
      expect(r.answers.slice(2).map((a) => [status(a), message(a)])).to.deep.equal([
        [400, 'Updating a running maintenance is not allowed'],
        [400, 'Updating a maintenance status is not allowed'],
        [400, 'Updated id must match old id'],
        [400, 'end: Value error, End before start not allowed'],
        [400, 'start: Value error, Start in the past not allowed'],
        [404, 'Maintenance with id nope not found'],
      ]);
      expect(r.stored.get('w1')!.description).to.equal('');
      expect(r.stored.get('w2')!.start).to.equal('2026-01-01T00:30:00.000Z');
    });

    it('DELETE: running, unknown id', async () => {
      const r = await run([create({ id: 'w1' }), { advance: 10 * MIN }, askInput(deleteMaintenance, { id: 'w1' }), askInput(deleteMaintenance, { id: 'nope' })]);
      expect(r.answers.slice(1).map((a) => [status(a), message(a)])).to.deep.equal([
        [400, 'Deleting a running maintenance is not allowed'],
        [404, 'Maintenance with id nope not found'],
      ]);
      expect(r.stored.get('w1')!.status).to.equal('running');
    });

    it('end and extend: pending, finished, unknown id', async () => {
      const now = T0 + 25 * MIN;
      const r = await run([
        create({ id: 'w1' }),
        create({ id: 'w2', start: at(30), end: at(40) }),
        { advance: 10 * MIN },
        { advance: 15 * MIN },
        askInput(endMaintenance, { id: 'w2', now }),
        askInput(endMaintenance, { id: 'w1', now }),
        askInput(extendMaintenance, { id: 'w2', ms: MIN, now }),
        askInput(extendMaintenance, { id: 'w1', ms: MIN, now }),
        askInput(endMaintenance, { id: 'nope', now }),
        askInput(extendMaintenance, { id: 'nope', ms: MIN, now }),
      ]);
      expect(r.answers.slice(2).map((a) => [status(a), message(a)])).to.deep.equal([
        [400, 'Maintenance window w2 has not yet started'],
        [400, 'Maintenance window w1 has already finished'],
        [400, 'Maintenance window w2 has not yet started'],
        [400, 'Maintenance window w1 has already finished'],
        [404, 'Maintenance with id nope not found'],
        [404, 'Maintenance with id nope not found'],
      ]);
      expect(r.stored.get('w1')!.end).to.equal('2026-01-01T00:20:00.000Z');
    });

    it('an id another instance stored meanwhile: 409 from the store, its window kept', async () => {
      const store = new MemoryStore();
      const clock = new ManualClock(T0);
      const theirs = { ...win({ id: 'w1', start: at(50), end: at(60) }), description: 'theirs' };
      // Another controller on the same database creates w1 after this one loaded its windows.
      clock.setTimeout(() => store.data.get('windows')!.set('w1', structuredClone(theirs)), 1);
      const r = await run([{ advance: 1 }, create({ id: 'w1' }), { advance: 30 * MIN }], store, clock);
      expect([status(r.answers[0]!), message(r.answers[0]!)]).to.deep.equal([409, 'Window with id: w1 already exists']);
      expect(r.stored.get('w1')!.description).to.equal('theirs');
      expect(r.windows).to.deep.equal({});
      expect(r.emits).to.deep.equal([]);
    });

    it('a store outage: the error answered, nothing changed, nothing published', async () => {
      const store = new MemoryStore();
      store.failAfterWrites = 0;
      const r = await run([create({ id: 'w1' }), { advance: 30 * MIN }], store);
      expect(r.answers[0]!.error).to.be.instanceOf(Error);
      expect(r.windows).to.deep.equal({});
      expect(r.emits).to.deep.equal([]);
    });
  });

  it('a start the store refused is tried again until it is stored, then published', async () => {
    const store = new MemoryStore();
    store.failAfterWrites = 1; // the create is stored, the start is not
    const clock = new ManualClock(T0);
    // The store comes back half a second after the window's start.
    clock.setTimeout(() => {
      store.down = false;
      store.failAfterWrites = Infinity;
    }, 10 * MIN + 500);
    // One run: the start fails at 10 min, the retry a second later is stored and published.
    const r = await run([create({ id: 'w1' }), { advance: 10 * MIN }, { advance: 1000 }], store, clock);
    expect(r.stored.get('w1')!.status).to.equal('running');
    expect(r.emits.map((e) => e.name)).to.deep.equal([interruptionStart.type]);
  });

  describe('start-up', () => {
    const seeded = (...windows: Win[]) => {
      const store = new MemoryStore();
      store.data.set('windows', new Map(windows.map((w) => [w.id, structuredClone(w)])));
      return store;
    };

    it('moves an overdue pending window to running, interrupts and ends it on time', async () => {
      const store = seeded(win({ id: 'w1' }));
      const clock = new ManualClock(T0 + 15 * MIN);
      const r = await run([], store, clock);
      expect(r.stored.get('w1')!.status).to.equal('running');
      expect(r.emits.map((e) => e.name)).to.deep.equal([interruptionStart.type]);
      const later = await run([{ advance: 5 * MIN }], seeded(win({ id: 'w1' })), new ManualClock(T0 + 15 * MIN));
      expect(later.stored.get('w1')!.status).to.equal('finished');
      expect(later.emits.map((e) => e.name)).to.deep.equal([interruptionStart.type, interruptionEnd.type]);
    });

    it('finishes a window wholly in the past without interrupting anything', async () => {
      const r = await run([], seeded(win({ id: 'w1' })), new ManualClock(T0 + 25 * MIN));
      expect(r.stored.get('w1')!.status).to.equal('finished');
      expect(r.emits).to.deep.equal([]);
    });

    it('finishes a running window whose end passed, ending its interruption', async () => {
      const r = await run([], seeded({ ...win({ id: 'w1' }), status: 'running' }), new ManualClock(T0 + 25 * MIN));
      expect(r.stored.get('w1')!.status).to.equal('finished');
      expect(r.emits.map((e) => e.name)).to.deep.equal([interruptionEnd.type]);
    });

    it("releases what topology holds for windows that are not running (an end stored but never published), keeps the running one's", async () => {
      const hold = (id: string | null, type = 'maintenance'): HeldInterruption => ({ type, id, switches: [S1], interfaces: [], links: [] });
      const store = seeded({ ...win({ id: 'run' }), status: 'running' }, { ...win({ id: 'done', start: at(30), end: at(40), switches: [S2] }), status: 'finished' });
      const r = await run([], store, new ManualClock(T0 + 15 * MIN), [hold('run'), hold('done'), hold('gone'), hold(null), hold('x', 'other')]);
      expect(r.emits.map((e) => [e.name, (e.content as { id?: string }).id])).to.deep.equal([
        [interruptionEnd.type, 'done'],
        [interruptionEnd.type, 'gone'],
        [interruptionEnd.type, undefined],
        [interruptionStart.type, 'run'],
      ]);
      expect(r.emits[0]!.content).to.deep.equal({ type: 'maintenance', id: 'done', switches: [S1], interfaces: [], links: [] });
    });

    it('re-applies a running window and ends it on time; arms a pending one', async () => {
      const store = seeded({ ...win({ id: 'w1' }), status: 'running' }, win({ id: 'w2', start: at(30), end: at(40), switches: [S3] }));
      const r = await run([{ advance: 5 * MIN }, { advance: 15 * MIN }], store, new ManualClock(T0 + 15 * MIN));
      expect(r.emits.map((e) => [e.name, (e.content as { switches: string[] }).switches])).to.deep.equal([
        [interruptionStart.type, [S1]],
        [interruptionEnd.type, [S1]],
        [interruptionStart.type, [S3]],
      ]);
      expect(r.stored.get('w2')!.status).to.equal('running');
    });
  });
});
