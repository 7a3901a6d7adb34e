import { expect } from 'chai';
import { KeyedMutex } from '../../../src/actor/locks.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('KeyedMutex.runAll (the store\'s per-document locks)', () => {
  it('should run work on one key one at a time, in call order', async () => {
    const lock = new KeyedMutex();
    const log: string[] = [];
    await Promise.all(
      [0, 1, 2, 3].map((i) =>
        lock.runAll(['k'], async () => {
          log.push(`start${i}`);
          await tick();
          log.push(`end${i}`);
        }),
      ),
    );
    expect(log).to.deep.equal(['start0', 'end0', 'start1', 'end1', 'start2', 'end2', 'start3', 'end3']);
  });

  it('should let different keys run concurrently and multi-key work wait for each key', async () => {
    const lock = new KeyedMutex();
    const log: string[] = [];
    const a = lock.runAll(['a'], async () => {
      log.push('a+');
      await tick();
      log.push('a-');
    });
    const b = lock.runAll(['b'], async () => {
      log.push('b+');
      await tick();
      log.push('b-');
    });
    const ab = lock.runAll(['b', 'a'], async () => {
      log.push('ab');
    });
    await Promise.all([a, b, ab]);
    expect(log.slice(0, 2).sort()).to.deep.equal(['a+', 'b+']);
    expect(log[log.length - 1]).to.equal('ab');
  });

  it('should release a key when the work throws', async () => {
    const lock = new KeyedMutex();
    let err: unknown;
    try {
      await lock.runAll(['x'], async () => {
        throw new Error('boom');
      });
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).to.equal('boom');
    expect(await lock.runAll(['x'], async () => 42)).to.equal(42);
  });
});
