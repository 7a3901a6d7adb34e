/** kytos/maintenance's pure rules: dates with any offset, Kytos-ng's validation messages, rendering. */
import { expect } from 'chai';
import {
  bodyError,
  extendBodyError,
  formatDate,
  MAX_QUOTED_BODY,
  missingItems,
  parseDate,
  pyRepr,
  pyReprBounded,
  renderText,
  validateWindow,
  type Win,
} from '../../../../../napps/kytos/maintenance/logic.js';
import type { TopologyJson } from '../../../../../src/sdk/index.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const error = (data: Record<string, unknown>) => {
  const v = validateWindow(data, NOW);
  return 'error' in v ? v.error : undefined;
};

describe('kytos/maintenance logic', () => {
  it('takes dates with any offset and normalises them to UTC', () => {
    expect(parseDate('2026-01-01T10:00:00+0000')).to.equal(Date.parse('2026-01-01T10:00:00Z'));
    expect(parseDate('2026-01-01T10:00:00-0300')).to.equal(Date.parse('2026-01-01T13:00:00Z'));
    expect(parseDate('2026-01-01T10:00:00+05:30')).to.equal(Date.parse('2026-01-01T04:30:00Z'));
    expect(parseDate('2026-01-01T10:00:00Z')).to.equal(Date.parse('2026-01-01T10:00:00Z'));
    expect(parseDate('2026-01-01T10:00:00')).to.equal(undefined);
    expect(parseDate('2026-02-30T10:00:00+0000')).to.equal(undefined);
    const v = validateWindow({ start: '2026-01-01T10:00:00-0300', end: '2026-01-01T18:00:00+02:00', switches: ['s'] }, NOW);
    expect(v).to.have.nested.property('window.start', '2026-01-01T13:00:00.000Z');
    expect(v).to.have.nested.property('window.end', '2026-01-01T16:00:00.000Z');
  });

  it("gives Kytos-ng's validation messages", () => {
    expect(error({ start: '2025-12-31T23:59:59+0000', switches: ['s'] })).to.equal('start: Value error, Start in the past not allowed');
    expect(error({ start: '2026-01-01T10:00:00+0000', end: '2026-01-01T10:00:00+0000', switches: ['s'] })).to.equal('end: Value error, End before start not allowed');
    expect(error({ start: '2026-01-01T10:00:00+0000', end: '2026-01-01T11:00:00+0000' })).to.equal(': Value error, At least one item must be provided');
    expect(error({ switches: ['s'] })).to.equal('start: Field required');
    expect(error({ start: '2026-01-01 10:00', switches: ['s'] })).to.equal(
      "start: Value error, time data '2026-01-01 10:00' does not match format '%Y-%m-%dT%H:%M:%S%z'",
    );
    expect(bodyError({})).to.equal('Invalid json body value: {}');
    expect(bodyError([1])).to.equal('Invalid json body value: [1]');
    expect(bodyError({ a: 1 })).to.equal(undefined);
  });

  it('quotes a wrong body whole up to MAX_QUOTED_BODY characters, and only its start beyond', () => {
    const values: unknown[] = [[1, 'x', null, true, { a: [{}], "it's": 'b' }], { k: [] }, [], 'y'.repeat(MAX_QUOTED_BODY - 2)];
    for (const v of values) expect(pyReprBounded(v, MAX_QUOTED_BODY), JSON.stringify(v)).to.equal(pyRepr(v));
    const wide = Array.from({ length: 50_000 }, () => ({ a: 1 }));
    const message = bodyError(wide)!;
    expect(message).to.equal(`Invalid json body value: ${pyRepr(wide).slice(0, MAX_QUOTED_BODY)}...`);
    expect(pyReprBounded('y'.repeat(MAX_QUOTED_BODY - 1), MAX_QUOTED_BODY)).to.equal(`'${'y'.repeat(MAX_QUOTED_BODY - 1)}...`);
  });

  it("checks the extend body as Kytos-ng's openapi validation does, with jsonschema's messages", () => {
    const prefix = 'The request body contains invalid API data.';
    expect(extendBodyError({ minutes: 1, hours: 2 })).to.equal(undefined);
    expect(extendBodyError({})).to.equal(undefined);
    expect(extendBodyError({ minutes: 1, weeks: 1 })).to.equal(`${prefix}, Additional properties are not allowed ('weeks' was unexpected) for field .`);
    expect(extendBodyError({ weeks: 1, years: 2 })).to.equal(`${prefix}, Additional properties are not allowed ('weeks', 'years' were unexpected) for field .`);
    expect(extendBodyError({ minutes: -1 })).to.equal(`${prefix}, -1 is less than the minimum of 0 for field minutes.`);
    expect(extendBodyError({ seconds: 1.5, days: '2' })).to.equal(`${prefix}, 1.5 is not of type 'integer' for field seconds., '2' is not of type 'integer' for field days.`);
    expect(extendBodyError({ hours: -0.5, x: true })).to.equal(
      `${prefix}, Additional properties are not allowed ('x' was unexpected) for field ., -0.5 is not of type 'integer' for field hours., -0.5 is less than the minimum of 0 for field hours.`,
    );
    expect(extendBodyError({ hours: true })).to.equal(`${prefix}, True is not of type 'integer' for field hours.`);
    expect(extendBodyError([1])).to.equal(`${prefix}, [1] is not of type 'object' for field .`);
    expect(extendBodyError(undefined)).to.equal('Missing required request body');
  });

  it('defaults the end to datetime.max and the id to none (the route generates one)', () => {
    const v = validateWindow({ start: '2026-01-01T10:00:00+0000', links: ['l'] }, NOW) as { window: Win };
    expect(v.window.end).to.equal('9999-12-31T23:59:59.000Z');
    expect(formatDate(v.window.end)).to.equal('9999-12-31T23:59:59+0000');
  });

  it('names the items topology does not know', () => {
    const topo = { switches: { s1: { interfaces: { 's1:1': {} } } }, links: { l1: {} } } as unknown as TopologyJson;
    expect(missingItems({ switches: ['s1'], interfaces: ['s1:1'], links: ['l1'] }, topo)).to.equal(undefined);
    expect(missingItems({ switches: ['s9'], interfaces: ['s1:1', 's1:7'], links: [] }, topo)).to.equal(
      "Window contains non-existant items: {'switches': ['s9'], 'interfaces': ['s1:7'], 'links': []}",
    );
  });

  it('renders JSON text with a trailing newline, fields in model order, dates %z', () => {
    const v = validateWindow({ start: '2026-01-01T10:00:00-0300', end: '2026-01-01T14:00:00-0300', switches: ['s'], id: 'w' }, NOW) as { window: Win };
    const w = { ...v.window, inserted_at: '2026-01-01T00:00:00.000Z' };
    expect(renderText([w])).to.equal(
      '[{"start":"2026-01-01T13:00:00+0000","end":"2026-01-01T17:00:00+0000","switches":["s"],"interfaces":[],"links":[],"id":"w","description":"","status":"pending","inserted_at":"2026-01-01T00:00:00+0000","updated_at":null}]\n',
    );
  });
});
