import { expect } from 'chai';
import { defineNApp, type Migration } from '../../../src/sdk/index.js';

const step = (to: number): Migration => ({ to, description: `to ${to}`, up: async () => undefined });
const manifest = { username: 'lattice', name: 'schema_check', version: '1.0.0' };

describe('defineNApp schema declarations', () => {
  it('should accept one migration per version from 2 up to the declared one, in any order', () => {
    expect(() => defineNApp({ manifest, schema: { a: { version: 1 }, b: { version: 3, migrations: [step(3), step(2)] } } })).not.to.throw();
  });

  it('should refuse a gap, a duplicate, a step past the version and a version below 1, naming the collection', () => {
    expect(() => defineNApp({ manifest, schema: { b: { version: 3, migrations: [step(3)] } } })).to.throw(TypeError, 'schema of b: needs exactly one migration to version 2 (has 0)');
    expect(() => defineNApp({ manifest, schema: { b: { version: 2, migrations: [step(2), step(2)] } } })).to.throw(TypeError, 'to version 2 (has 2)');
    expect(() => defineNApp({ manifest, schema: { b: { version: 2, migrations: [step(2), step(3)] } } })).to.throw(TypeError, 'a migration to 3 is outside 2..2');
    expect(() => defineNApp({ manifest, schema: { b: { version: 0 } } })).to.throw(TypeError, 'schema of b: version must be an integer >= 1');
  });
});
