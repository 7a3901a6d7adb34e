/**
 * Mocha's spec reporter, plus one plain closing line that CI tooling reads:
 * "tests: N passed, N failed" (", N skipped" when any were).
 */
import Mocha = require("mocha");

const { Spec } = Mocha.reporters;

class SpecWithSummary extends Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes = 0, failures = 0, pending = 0 } = runner.stats ?? {};
      process.stdout.write(`\ntests: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}\n`);
    });
  }
}

export = SpecWithSummary;
