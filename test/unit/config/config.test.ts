import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaults, documentedDefaults, loadConfig, publicConfig } from '../../../src/config/index.js';
import { ConfigError } from '../../../src/errors/index.js';

describe('config', () => {
  it('should keep config/default.json equal to the declared schema (run npm run config:doc)', () => {
    const onDisk = JSON.parse(readFileSync(new URL('../../../config/default.json', import.meta.url), 'utf8'));
    expect(onDisk).to.deep.equal(documentedDefaults());
  });

  it('should document every key with a // line', () => {
    for (const [section, values] of Object.entries(documentedDefaults())) {
      for (const key of Object.keys(values).filter((k) => !k.startsWith('//'))) {
        expect(values[`// ${key}`], `${section}.${key}`).to.be.a('string').and.not.equal('');
      }
    }
  });

  it('should give the issue defaults', () => {
    const c = defaults();
    expect(c.http.port).to.equal(8181);
    expect(c.openflow.port).to.equal(6653);
    expect(c.http.maxBodyBytes).to.equal(1_048_576);
    expect(c.store.backend).to.equal('embedded');
    expect(c.http.corsAllowOrigins).to.deep.equal([]);
  });

  it('should apply environment overrides', () => {
    const c = loadConfig({
      env: {
        LATTICE_HTTP_PORT: '9000',
        LATTICE_OPENFLOW_PORT: '6633',
        LATTICE_DATA_DIR: '/tmp/x',
        LATTICE_STORE: 'mongodb',
        LATTICE_MONGODB_URI: 'mongodb://127.0.0.1:1',
        LATTICE_LOG_LEVEL: 'debug',
        LATTICE_NAPPS: 'kytos/of_core, lattice/hello',
      },
    });
    expect(c.http.port).to.equal(9000);
    expect(c.openflow.port).to.equal(6633);
    expect(c.store).to.include({ dataDir: '/tmp/x', backend: 'mongodb', mongodbUri: 'mongodb://127.0.0.1:1' });
    expect(c.log.level).to.equal('debug');
    expect(c.napps.enabled).to.deep.equal(['kytos/of_core', 'lattice/hello']);
  });

  it('should reject unknown keys, wrong types and bad enum values with the key named', () => {
    const bad = (fn: () => unknown, key: RegExp) => {
      const err = (() => {
        try {
          fn();
        } catch (e) {
          return e;
        }
      })();
      expect(err).to.be.instanceOf(ConfigError);
      expect((err as Error).message).to.match(key);
    };
    bad(() => loadConfig({ env: {}, overrides: { http: { prot: 1 } } }), /unknown config key "http\.prot"/);
    bad(() => loadConfig({ env: {}, overrides: { htp: {} } }), /unknown config section "htp"/);
    bad(() => loadConfig({ env: {}, overrides: { http: { port: '80' } } }), /http\.port: expected an integer/);
    bad(() => loadConfig({ env: { LATTICE_HTTP_PORT: 'eighty' } }), /LATTICE_HTTP_PORT/);
    bad(() => loadConfig({ env: { LATTICE_STORE: 'postgres' } }), /one of embedded, mongodb/);
  });

  it('should read a config file and reject a broken one', () => {
    const file = join(tmpdir(), `lattice-config-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ http: { port: 8282 }, '//': 'comments are allowed' }));
    expect(loadConfig({ env: { LATTICE_CONFIG: file } }).http.port).to.equal(8282);
    writeFileSync(file, '{ nope');
    expect(() => loadConfig({ env: { LATTICE_CONFIG: file } })).to.throw(ConfigError, /cannot read config file/);
  });

  it('should never show secrets in the public config', () => {
    const c = loadConfig({ env: { LATTICE_JWT_SECRET: 's3cret', LATTICE_MONGODB_URI: 'mongodb://u:pw@h/' } });
    const shown = JSON.stringify(publicConfig(c));
    expect(shown).not.to.contain('s3cret');
    expect(shown).not.to.contain('pw@h');
  });
});
