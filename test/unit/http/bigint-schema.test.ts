import { expect } from 'chai';
import { bigintAware, TYPE_KEYWORD } from '../../../src/http/bigint-schema.js';
import { SchemaCompiler } from '../../../src/http/validation.js';

const compiler = new SchemaCompiler();
const message = (validate: (v: unknown) => void, value: unknown): string | undefined => {
  try {
    validate(value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('request schemas and bigint (bigint-schema, validation)', () => {
  const flow = compiler.compile({
    type: 'object',
    required: ['cookie'],
    properties: {
      cookie: { type: 'integer', minimum: 0, maximum: 18446744073709551615 },
      priority: { type: 'integer', minimum: 0, maximum: 65535 },
      ratio: { type: 'number', exclusiveMaximum: 1e30 },
      vlan: { type: ['integer', 'string'] },
      table: { type: 'integer', nullable: true },
      step: { type: 'integer', multipleOf: 2 },
    },
  });

  it('should take a bigint where the schema says integer or number', () => {
    expect(message(flow, { cookie: 12321848580485677057n, ratio: 12321848580485677057n, vlan: 2n ** 60n })).to.equal(undefined);
  });

  it('should still refuse what is not an integer, with ajv-style messages', () => {
    expect(message(flow, { cookie: 'x' })).to.equal('The request body contains invalid API data., must be integer for field cookie.');
    expect(message(flow, { cookie: 1.5 })).to.contain('must be integer for field cookie');
    expect(message(flow, { cookie: 1, vlan: true })).to.contain('must be integer,string for field vlan');
    expect(message(flow, {})).to.contain('for field cookie.');
  });

  it('should apply minimum, maximum, exclusive bounds and multipleOf to bigints too', () => {
    expect(message(flow, { cookie: -12321848580485677057n })).to.contain('must be >= 0 for field cookie');
    expect(message(flow, { cookie: 1, priority: 2n ** 60n })).to.contain('must be <= 65535 for field priority');
    expect(message(flow, { cookie: 1, ratio: 10n ** 31n })).to.contain('must be < 1e+30 for field ratio');
    expect(message(flow, { cookie: 1, step: 2n ** 60n + 1n })).to.contain('must be multiple of 2 for field step');
    expect(message(flow, { cookie: 1, step: 2n ** 60n })).to.equal(undefined);
    expect(message(flow, { cookie: 1, priority: 65536 })).to.contain('must be <= 65535 for field priority');
  });

  it("should fold OpenAPI's nullable into the type", () => {
    expect(message(flow, { cookie: 1, table: null })).to.equal(undefined);
    expect(message(flow, { cookie: 1, table: 'x' })).to.contain('must be integer,null for field table');
  });

  it('should rewrite only type declarations, never data (enum, const, default, examples) or properties named "type"', () => {
    const schema = {
      type: 'object',
      properties: { type: { type: 'string', enum: [{ type: 'integer' }] }, n: { type: 'integer', default: { type: 'number' } } },
      items: [{ type: 'number' }],
    };
    const out = bigintAware(schema);
    expect(out.type).to.equal('object');
    expect(out.properties.type).to.deep.equal({ type: 'string', enum: [{ type: 'integer' }] });
    expect(out.properties.n).to.deep.equal({ [TYPE_KEYWORD]: ['integer'], default: { type: 'number' } });
    expect(out.items).to.deep.equal([{ [TYPE_KEYWORD]: ['number'] }]);
    expect(schema.properties.n).to.deep.equal({ type: 'integer', default: { type: 'number' } });
  });
});
