/**
 * The Lambda layers contract, written once as a table and run through the AWS CLI against any backend: the
 * emulator (emulator-lambda-cli.test.ts) and moto (emulator-lambda-moto.test.ts). `aws` is what AWS does;
 * moto's known differences live in MOTO_DIFFERENCES and change the expectation for moto only.
 */
import { createHash } from 'node:crypto';
import { ACCOUNT, makeZip, type Cli, type CliResult } from './emulator-support.js';

export { ACCOUNT };

export type Outcome = { value: unknown } | { error: string };
export type Backend = 'emulator' | 'moto';

/** Setup steps go through the SDK (in-process, fast); the call a case checks goes through the CLI. */
export interface Setup {
  publish(region: string, name: string, runtimes?: string[], architectures?: string[]): Promise<void>;
  permit(region: string, name: string, version: number, statementId: string): Promise<void>;
  stage(bucketRegion: string, bucket: string, key: string): Promise<void>;
}

export interface CaseEnv {
  cli: Cli;
  setup: Setup;
  zipPath: string;
  bigZipPath: string;
}

export interface ContractCase {
  name: string;
  aws: Outcome;
  run(env: CaseEnv): Promise<Outcome>;
}

export const ZIP = makeZip({ 'python/emulator_contract.py': 'VALUE = 1\n' });
export const SHA = createHash('sha256').update(ZIP).digest('base64');
/** Regions the emulator is started with as not enabled for the account. */
export const NOT_ENABLED = ['ap-east-1'];

export function outcome(result: CliResult, value: (json: Record<string, unknown>) => unknown = () => 'ok'): Outcome {
  return result.error ? { error: result.error } : { value: value(result.json ?? {}) };
}

export function publish(env: CaseEnv, region: string, name: string, ...extra: string[]): Promise<CliResult> {
  const args = ['lambda', 'publish-layer-version', '--region', region, '--layer-name', name];
  return env.cli(...args, ...(extra.includes('--content') ? [] : ['--zip-file', `fileb://${env.zipPath}`]), ...extra);
}

/** `aws lambda OPERATION --region REGION --layer-name NAME ...` */
export function lambda(
  env: CaseEnv,
  operation: string,
  region: string,
  name: string,
  ...rest: string[]
): Promise<CliResult> {
  return env.cli('lambda', operation, '--region', region, '--layer-name', name, ...rest);
}

export function versions(result: CliResult): unknown {
  return result.error ?? (result.json?.LayerVersions as { Version: number }[]).map((v) => v.Version);
}

export async function publishAll(env: CaseEnv, region: string, name: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await env.setup.publish(region, name);
}

const arnCases: ContractCase[] = [
  ['eu-west-1', 'aws'],
  ['cn-north-1', 'aws-cn'],
  ['us-gov-west-1', 'aws-us-gov'],
  ['ap-southeast-7', 'aws'],
].map(([region, partition]) => ({
  name: `ARNs carry the partition, region and account (${region})`,
  aws: {
    value: {
      LayerArn: `arn:${partition}:lambda:${region}:${ACCOUNT}:layer:contract-arn`,
      LayerVersionArn: `arn:${partition}:lambda:${region}:${ACCOUNT}:layer:contract-arn:1`,
    },
  },
  run: async (env) =>
    outcome(await publish(env, region, 'contract-arn'), (j) => ({
      LayerArn: j.LayerArn,
      LayerVersionArn: j.LayerVersionArn,
    })),
}));

export const PUBLISH_CASES: ContractCase[] = [
  {
    name: 'publish: CodeSha256 is base64(sha256(zip)), Description "" is present, LicenseInfo is kept',
    aws: {
      value: {
        CodeSha256: SHA,
        CodeSize: ZIP.length,
        Description: '',
        LicenseInfo: 'MIT',
        CompatibleRuntimes: ['python3.12'],
      },
    },
    run: async (env) =>
      outcome(
        await publish(
          env,
          'us-east-1',
          'contract-publish',
          '--license-info',
          'MIT',
          '--compatible-runtimes',
          'python3.12',
        ),
        (j) => {
          const content = j.Content as Record<string, unknown>;
          const { Description, LicenseInfo, CompatibleRuntimes, CompatibleArchitectures } = j;
          return {
            CodeSha256: content.CodeSha256,
            CodeSize: content.CodeSize,
            Description,
            LicenseInfo,
            CompatibleRuntimes,
            CompatibleArchitectures,
          };
        },
      ),
  },
  ...arnCases,
  {
    name: 'members not sent are left out, but Description is always there',
    aws: { value: { Description: '' } },
    run: async (env) =>
      outcome(await publish(env, 'ap-northeast-3', 'contract-sparse'), (j) => {
        const { Description, LicenseInfo, CompatibleRuntimes, CompatibleArchitectures } = j;
        return { Description, LicenseInfo, CompatibleRuntimes, CompatibleArchitectures };
      }),
  },
  {
    name: 'get-layer-version and get-layer-version-by-arn return what publish returned',
    aws: { value: { byName: true, byArn: true } },
    async run(env) {
      const published = await publish(env, 'eu-west-2', 'contract-get', '--description', 'got');
      const arn = String(published.json?.LayerVersionArn);
      const byName = await lambda(env, 'get-layer-version', 'eu-west-2', 'contract-get', '--version-number', '1');
      const byArn = await env.cli('lambda', 'get-layer-version-by-arn', '--region', 'eu-west-2', '--arn', arn);
      const same = (r: CliResult) =>
        JSON.stringify(withoutLocation(r.json)) === JSON.stringify(withoutLocation(published.json));
      return { value: { byName: same(byName), byArn: same(byArn) } };
    },
  },
  {
    name: 'Content.Location is a URL that serves the zip',
    aws: { value: true },
    async run(env) {
      const published = await publish(env, 'eu-west-3', 'contract-location');
      const location = String((published.json?.Content as Record<string, unknown>)?.Location);
      const body = await fetch(location)
        .then((r) => r.arrayBuffer())
        .catch(() => undefined);
      return { value: body !== undefined && Buffer.from(body).equals(ZIP) };
    },
  },
  {
    name: 'list-layer-versions: newest first, one request per page with --page-size 1',
    aws: { value: { versions: [3, 2, 1], requests: 3 } },
    async run(env) {
      await publishAll(env, 'ca-central-1', 'contract-list', 3);
      const list = await lambda(
        env,
        'list-layer-versions',
        'ca-central-1',
        'contract-list',
        '--page-size',
        '1',
        '--debug',
      );
      const requests = list.stderr.match(/Making request for OperationModel\(name=ListLayerVersions\)/g)?.length;
      return { value: { versions: versions(list), requests } };
    },
  },
  {
    name: 'list-layer-versions filters by runtime and by architecture',
    aws: { value: { python: [1], arm64: [2] } },
    async run(env) {
      const r = 'sa-east-1';
      await env.setup.publish(r, 'contract-filter', ['python3.12'], ['x86_64']);
      await env.setup.publish(r, 'contract-filter', ['nodejs22.x'], ['arm64']);
      const base = ['lambda', 'list-layer-versions', '--region', r, '--layer-name', 'contract-filter'];
      const [python, arm64] = await Promise.all([
        env.cli(...base, '--compatible-runtime', 'python3.12'),
        env.cli(...base, '--compatible-architecture', 'arm64'),
      ]);
      return { value: { python: versions(python), arm64: versions(arm64) } };
    },
  },
  {
    name: 'list-layer-versions of a layer that does not exist is an empty list',
    aws: { value: [] },
    run: async (env) => ({
      value: versions(await lambda(env, 'list-layer-versions', 'us-east-2', 'contract-none')),
    }),
  },
  {
    name: 'list-layers shows each layer with its latest version',
    aws: { value: 2 },
    async run(env) {
      await publishAll(env, 'eu-north-1', 'contract-layers', 2);
      const list = await env.cli('lambda', 'list-layers', '--region', 'eu-north-1');
      const layers = (list.json?.Layers ?? []) as { LayerName: string; LatestMatchingVersion: { Version: number } }[];
      return { value: layers.find((l) => l.LayerName === 'contract-layers')?.LatestMatchingVersion.Version };
    },
  },
  {
    name: 'a deleted version number is never reused',
    aws: { value: { republished: 3, getDeleted: 'ResourceNotFoundException' } },
    async run(env) {
      const r = 'ap-south-1';
      await publishAll(env, r, 'contract-reuse', 2);
      await lambda(env, 'delete-layer-version', r, 'contract-reuse', '--version-number', '2');
      const again = await publish(env, r, 'contract-reuse');
      const get = await lambda(env, 'get-layer-version', r, 'contract-reuse', '--version-number', '2');
      return { value: { republished: again.json?.Version, getDeleted: get.error } };
    },
  },
  {
    name: 'deleting a version that does not exist succeeds',
    aws: { value: 'ok' },
    run: async (env) =>
      outcome(await lambda(env, 'delete-layer-version', 'us-east-1', 'contract-never', '--version-number', '5')),
  },
];

function withoutLocation(json: Record<string, unknown> | undefined): unknown {
  const content = { ...((json?.Content ?? {}) as Record<string, unknown>) };
  delete content.Location;
  return { ...json, Content: content };
}
