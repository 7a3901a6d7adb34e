import { expect } from 'chai';
import { createRequire } from 'node:module';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
const config = require('../../../.dependency-cruiser.cjs') as IConfiguration;
const FIXTURES = 'test/fixtures/lint-napp';

/** The project's rules with "napps/" pointed at the fixture folder, so a good and a bad NApp can be checked. */
function fixtureRules(): IConfiguration {
  const text = JSON.stringify(config.forbidden).replaceAll('^napps/', `^${FIXTURES}/`);
  return { ...config, forbidden: JSON.parse(text) };
}

async function run(files: string[], rules: IConfiguration): Promise<ICruiseResult> {
  const out = await cruise(files, { validate: true, ruleSet: rules as never, ...config.options, exclude: { path: '^(dist|load-tests|scripts)/' } } as never);
  return out.output as ICruiseResult;
}

describe('import rules for NApps (dependency-cruiser)', function () {
  this.timeout(60_000);

  it('should resolve #sdk through package.json imports to the SDK barrel (the rules are not vacuous)', async () => {
    const result = await run(['napps'], config);
    const sdkDeps = result.modules.flatMap((m) => m.dependencies.filter((d) => d.module === '#sdk').map((d) => ({ from: m.source, ...d })));
    expect(sdkDeps.length).to.be.greaterThan(5);
    for (const d of sdkDeps) {
      expect(d.couldNotResolve, d.from).to.equal(false);
      expect(d.resolved, d.from).to.equal('src/sdk/index.ts');
    }
    expect(result.summary.violations).to.deep.equal([]);
  });

  it('should accept a NApp that imports #sdk and listed packages, and refuse relative paths into src/ and unlisted packages', async () => {
    const result = await run([FIXTURES], fixtureRules());
    const byFile = (f: string) => result.summary.violations.filter((v) => v.from.includes(f)).map((v) => `${v.rule.name} ${v.to}`);
    expect(byFile('/good/')).to.deep.equal([]);
    const bad = byFile('/bad/');
    expect(bad.some((v) => v.startsWith('napps-sdk-only src/sdk/index.ts'))).to.equal(true, bad.join('\n'));
    expect(bad.some((v) => v.startsWith('napps-sdk-entry src/platform/manager.ts'))).to.equal(true, bad.join('\n'));
    expect(bad.some((v) => v.startsWith('napps-npm-allowlist') && v.includes('pino'))).to.equal(true, bad.join('\n'));
  });
});
