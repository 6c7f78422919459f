/** The contract's rules: permissions, validation, limits, regions, S3 sources (see emulator-contract.ts). */
import type { CliResult } from './emulator-support.js';
import {
  ACCOUNT,
  NOT_ENABLED,
  SHA,
  lambda,
  outcome,
  publish,
  type CaseEnv,
  type ContractCase,
  type Outcome,
} from './emulator-contract.js';

export const RULE_CASES: ContractCase[] = [
  {
    name: 'permissions: an account and an organization, then the policy',
    aws: {
      value: permissionsExpectation(
        { AWS: 'arn:aws:iam::111122223333:root' },
        { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij1' } } },
      ),
    },
    run: permissionsCase,
  },
  {
    name: 'a duplicate statement id is 409 ResourceConflictException',
    aws: { error: 'ResourceConflictException' },
    async run(env) {
      await env.setup.publish('us-west-1', 'contract-dup');
      await env.setup.permit('us-west-1', 'contract-dup', 1, 'same');
      const add = ['lambda', 'add-layer-version-permission', '--region', 'us-west-1', '--layer-name', 'contract-dup'];
      const more = ['--version-number', '1', '--statement-id', 'same', '--action', 'lambda:GetLayerVersion'];
      return outcome(await env.cli(...add, ...more, '--principal', '*'));
    },
  },
  {
    name: 'a stale RevisionId is 412 PreconditionFailedException',
    aws: { error: 'PreconditionFailedException' },
    async run(env) {
      await env.setup.publish('ap-northeast-1', 'contract-revision');
      return outcome(
        await lambda(
          env,
          'add-layer-version-permission',
          'ap-northeast-1',
          'contract-revision',
          '--version-number',
          '1',
          '--statement-id',
          's',
          '--action',
          'lambda:GetLayerVersion',
          '--principal',
          '*',
          '--revision-id',
          'stale',
        ),
      );
    },
  },
  {
    name: 'an unknown runtime is refused',
    aws: { error: 'ValidationException' },
    run: async (env) =>
      outcome(await publish(env, 'us-east-1', 'contract-runtime', '--compatible-runtimes', 'nodejs99.x')),
  },
  {
    name: 'an invalid layer name is refused',
    aws: { error: 'ValidationException' },
    run: async (env) => outcome(await publish(env, 'us-east-1', 'contract bad name')),
  },
  {
    name: 'a request over 69,905,067 bytes is 413 RequestEntityTooLargeException',
    aws: { error: 'RequestEntityTooLargeException' },
    run: async (env) =>
      outcome(
        await lambda(
          env,
          'publish-layer-version',
          'us-east-1',
          'contract-big',
          '--zip-file',
          `fileb://${env.bigZipPath}`,
        ),
      ),
  },
  {
    name: 'a region the account has not enabled answers UnrecognizedClientException',
    aws: { error: 'UnrecognizedClientException' },
    run: async (env) => outcome(await lambda(env, 'list-layer-versions', NOT_ENABLED[0], 'contract-any')),
  },
  {
    name: 'publish from an S3 bucket in the same region',
    aws: { value: SHA },
    run: async (env) =>
      outcome(
        await publishFromBucket(env, 'us-west-1', 'us-west-1'),
        (j) => (j.Content as Record<string, unknown>).CodeSha256,
      ),
  },
  {
    name: 'a bucket in another region is refused',
    aws: { error: 'InvalidParameterValueException' },
    run: async (env) => outcome(await publishFromBucket(env, 'us-west-2', 'us-east-2')),
  },
];

export function permissionsExpectation(accountPrincipal: unknown, orgExtra: Record<string, unknown>): unknown {
  const resource = `arn:aws:lambda:us-west-2:${ACCOUNT}:layer:contract-permissions:1`;
  const base = { Effect: 'Allow', Action: 'lambda:GetLayerVersion', Resource: resource };
  const account = { Sid: 'account', Principal: accountPrincipal, ...base };
  return {
    statement: account,
    policy: [account, { Sid: 'org', Principal: '*', ...base, ...orgExtra }],
    revision: true,
  };
}

async function permissionsCase(env: CaseEnv): Promise<Outcome> {
  await env.setup.publish('us-west-2', 'contract-permissions');
  const add = [
    'lambda',
    'add-layer-version-permission',
    '--region',
    'us-west-2',
    '--layer-name',
    'contract-permissions',
    '--version-number',
    '1',
    '--action',
    'lambda:GetLayerVersion',
  ];
  const account = await env.cli(...add, '--statement-id', 'account', '--principal', '111122223333');
  const org = await env.cli(...add, '--statement-id', 'org', '--principal', '*', '--organization-id', 'o-abcdefghij1');
  const policy = await lambda(
    env,
    'get-layer-version-policy',
    'us-west-2',
    'contract-permissions',
    '--version-number',
    '1',
  );
  if (account.error || org.error || policy.error) return { error: account.error ?? org.error ?? String(policy.error) };
  return {
    value: {
      statement: JSON.parse(String(account.json?.Statement)),
      policy: JSON.parse(String(policy.json?.Policy)).Statement,
      revision: policy.json?.RevisionId === org.json?.RevisionId,
    },
  };
}

async function publishFromBucket(env: CaseEnv, bucketRegion: string, layerRegion: string): Promise<CliResult> {
  const bucket = `contract-stage-${bucketRegion}-${layerRegion}`;
  await env.setup.stage(bucketRegion, bucket, 'layer.zip');
  return publish(env, layerRegion, 'contract-s3', '--content', `S3Bucket=${bucket},S3Key=layer.zip`);
}
