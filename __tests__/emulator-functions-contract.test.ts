/**
 * The Lambda functions contract (__fixtures__/emulator-functions-contract.ts) against the emulator and against moto:
 * what both must agree on is asserted as AWS does it; where moto differs, MOTO_FUNCTION_DIFFERENCES says how (and
 * emulators/aws/README.md lists it). The `cli:` cases run under every AWS CLI major installed, on the emulator.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { startEmulator } from '../emulators/index.js';
import type { Outcome } from '../__fixtures__/emulator-contract.js';
import { ACCOUNT, CODE, FUNCTION_CASES, type FunctionEnv } from '../__fixtures__/emulator-functions-contract.js';
import { CLI_CASES, LAYER_RULE_CASES } from '../__fixtures__/emulator-functions-contract-rules.js';
import {
  DUMMY_ENV,
  awsCli,
  awsCliMissing,
  awsClis,
  createMotoRole,
  motoMissing,
  startMoto,
  tempDir,
  type AwsCliBinary,
} from '../__fixtures__/emulator-support.js';

/** Where moto 5.2 answers otherwise than AWS, by case name: the only place moto's behaviour is written down. */
export const MOTO_FUNCTION_DIFFERENCES: Record<string, Outcome> = {
  // No RevisionId on functions at all, so nothing is guarded.
  'RevisionId: every change gives a new one, and a stale one is refused with 412': {
    value: { present: false, changed: false, stale: 'ok' },
  },
  // Updates complete at once.
  'LastUpdateStatus is InProgress right after an update and Successful once it settles': {
    value: { answered: 'Successful', later: 'Successful' },
  },
  // 404 ResourceNotFoundException "One or more LayerVersion does not exist [...]".
  'a layer version that does not exist is refused': { error: 'ResourceNotFoundException' },
  'two versions of one layer are refused': { value: 'ok' },
  'six layers are refused': { value: 'ok' },
  'code and layers over 262,144,000 bytes unzipped are refused by the call': { value: 'ok' },
  // Every function on one page whatever MaxItems says; items carry State and LastUpdateStatus.
  'ListFunctions pages at most 50 functions whatever MaxItems asks, and lists no State or LastUpdateStatus': {
    value: { pages: [51], state: 'Active', status: 'Successful' },
  },
  // A partial ARN is a 500 with an HTML body (the SDK cannot parse it); an alias ARN answers with the version's ARN;
  // an ARN of another region finds the function of this one.
  'GetFunction by name, ARN, partial ARN, name:version, alias; an ARN of another region is 404': {
    value: [
      [':function:ct-named', '$LATEST'],
      [':function:ct-named', '$LATEST'],
      'SyntaxError',
      [':function:ct-named:1', '1'],
      [':function:ct-named:1', '1'],
      'found',
    ],
  },
  // CodeSha256 is not checked.
  'PublishVersion twice without a change answers the same version; another CodeSha256 is refused': {
    value: { versions: ['1', '1'], sha: 'ok' },
  },
  // The alias keeps its RevisionId, so a stale one is not noticed; a name in use is ConflictException.
  'UpdateAlias moves the alias with a new RevisionId; a stale RevisionId is 412; a name in use is 409': {
    value: { version: '2', changed: false, stale: 'ok', taken: 'ConflictException' },
  },
  // A version ARN is looked up as a function and not found.
  'tags: TagResource and UntagResource round trip; a version ARN is refused': {
    value: { tags: { keep: '1' }, version: 'ResourceNotFoundException' },
  },
  // No RevisionId, so the CLI's --revision-id passes.
  'cli: update-function-configuration --layers with a stale --revision-id is PreconditionFailedException': {
    value: 'ok',
  },
};

type Backend = 'emulator' | 'moto';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/functions-contract`;

function describeFunctionContract(
  backend: Backend,
  skipReason: string | undefined,
  start: () => Promise<{ url: string; stop(): Promise<void>; settleMs: number }>,
  cli: AwsCliBinary,
  only: (name: string) => boolean = () => true,
): void {
  const cases = [...FUNCTION_CASES, ...LAYER_RULE_CASES, ...CLI_CASES].filter((c) => only(c.name));
  describe(`Lambda functions contract (SDK v3, AWS CLI ${cli.major}): ${backend}`, () => {
    if (skipReason) {
      test.skip(`skipped: ${skipReason}`, () => undefined);
      return;
    }
    const outcomes = new Map<string, Outcome>();
    let stop: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      const server = await start();
      const dir = await tempDir('llr-functions-contract-');
      const cliProcesses = await awsCli(server.url, dir, cli.path);
      stop = async () => {
        await cliProcesses.close();
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      };
      const codePath = path.join(dir, 'code.zip');
      await writeFile(codePath, CODE);
      if (backend === 'moto') await createMotoRole(server.url, 'functions-contract');
      const credentials = {
        accessKeyId: DUMMY_ENV.AWS_ACCESS_KEY_ID,
        secretAccessKey: DUMMY_ENV.AWS_SECRET_ACCESS_KEY,
      };
      const env: FunctionEnv = {
        lambda: (region) => new LambdaClient({ region, endpoint: server.url, credentials, maxAttempts: 1 }),
        role: ROLE,
        cli: cliProcesses,
        codePath,
        settleMs: server.settleMs,
      };
      const limit = pLimit(4);
      await Promise.all(
        cases.map((c) =>
          limit(async () =>
            outcomes.set(
              c.name,
              await c.run(env).catch((err: Error) => ({ error: `threw: ${err.name}: ${err.message}` })),
            ),
          ),
        ),
      );
    }, 180_000);
    afterAll(async () => {
      await stop?.();
    });

    test.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
      const expected =
        backend === 'moto' && name in MOTO_FUNCTION_DIFFERENCES ? MOTO_FUNCTION_DIFFERENCES[name] : c.aws;
      expect(outcomes.get(name)).toEqual(expected);
    });
  });
}

const UPDATE_MS = 50;
const startOwn = async () => {
  const emulator = await startEmulator({ aws: { functionUpdateMs: UPDATE_MS } });
  return { url: emulator.url, stop: () => emulator.stop(), settleMs: UPDATE_MS * 3 };
};
const startMotoBackend = async () => ({ ...(await startMoto()), settleMs: 0 });
const clis = awsClis();
const cliMissing = awsCliMissing();
const [first, ...others] = clis.length ? clis : [{ major: 'v1', path: 'aws' }];

describeFunctionContract('emulator', cliMissing, startOwn, first);
for (const cli of others) describeFunctionContract('emulator', undefined, startOwn, cli, (n) => n.startsWith('cli:'));
describeFunctionContract('moto', cliMissing ?? motoMissing(), startMotoBackend, first);
