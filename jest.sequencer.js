/**
 * The slowest suites start first, so that no worker is left running one long suite alone at the end. Jest's own
 * order does this from its timing cache, which a clean clone (CI) does not have: there it falls back to file size,
 * which puts the CLI, moto and bundle suites anywhere. So a suite's weight is its time from Jest's cache when there
 * is one, else the seconds below (wall time of each alone, from `npm test -- --json`; a stale number only changes
 * the order), else its file size (a 10 kB file counts as one second). Failed suites still go first.
 */
import path from 'node:path';
import Sequencer from '@jest/test-sequencer';

const SECONDS = {
  'publish-race.test.ts': 70,
  'publish-chaos.test.ts': 55,
  'publish-github-faults.test.ts': 45,
  'emulator-lambda-cli.test.ts': 35,
  'emulator-cli-services.test.ts': 30,
  'publish-release-notes.test.ts': 30,
  'resolve-edge.test.ts': 28,
  'report-matrix.test.ts': 28,
  'emulator-lambda-moto.test.ts': 25,
  'emulator-retries.test.ts': 25,
  'layer-exclude-git.test.ts': 23,
  'emulator-github-bundle.test.ts': 23,
  'publish-edge.test.ts': 21,
  'publish-staging.test.ts': 17,
  'publish-staging-copies.test.ts': 17,
  'report-edge.test.ts': 16,
  'resolve-aws.test.ts': 16,
  'emulator-functions-contract.test.ts': 15,
  'publish-rate-limit.test.ts': 14,
  'publish-release.test.ts': 13,
  'publish-sts-transient.test.ts': 12,
  'check-workflows.test.ts': 12,
  'publish-zip-check.test.ts': 12,
  'publish-pipeline.test.ts': 11,
};

export default class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const weight = (test) => {
      const cached = this.time(test);
      if (cached != null) return cached / 1000;
      const known = SECONDS[path.basename(test.path)];
      if (known !== undefined) return known;
      return (test.context.hasteFS.getSize(test.path) ?? 0) / 10_000;
    };
    const weights = new Map(tests.map((t) => [t, weight(t)]));
    return [...tests].sort(
      (a, b) => Number(this.hasFailed(b)) - Number(this.hasFailed(a)) || weights.get(b) - weights.get(a),
    );
  }
}
