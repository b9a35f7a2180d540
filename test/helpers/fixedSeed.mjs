// Loaded before every node:test file (scripts/run-tests.mjs): fast-check's properties run from one
// fixed seed, so `npm test` checks the same cases on every machine and a failure repeats. Set
// FC_SEED=<n> to run them from another seed, FC_SEED=random for a fresh one each run (the failure
// report prints it), while exploring; a counterexample found that way becomes a fixed case.
import { createRequire } from 'node:module';

// The tests are compiled to CommonJS (tsx) and require fast-check's CommonJS build: configure that
// instance, not the ES module one an `import` here would load.
const fc = createRequire(import.meta.url)('fast-check');

const chosen = process.env.FC_SEED;
if (chosen !== 'random') {
  const seed = chosen === undefined ? 20261203 : Number(chosen);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", not ${chosen}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
