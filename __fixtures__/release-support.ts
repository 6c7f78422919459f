/** Helpers for the release-side integration tests: AWS backends (the emulator, and moto where installed). */
import { DeleteLayerVersionCommand, LambdaClient, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { SSMClient } from '@aws-sdk/client-ssm';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { describe as describeMarker } from '../src/record/marker.js';
import { DUMMY_ENV, makeZip, motoMissing, startMoto } from './emulator-support.js';

export interface AwsBackend {
  endpoint: string;
  emulator?: RunningEmulator;
  stop(): Promise<void>;
}

export interface BackendSpec {
  name: string;
  /** Why this backend cannot run here, or undefined. */
  missing?: string;
  start(): Promise<AwsBackend>;
}

/** The emulator always; moto when python3 can import it (CI installs it where it can). */
export function awsBackends(options: { denied?: string[] } = {}): BackendSpec[] {
  return [
    {
      name: 'emulator',
      async start() {
        const emulator = await startEmulator({ aws: { denied: options.denied } });
        return { endpoint: emulator.url, emulator, stop: () => emulator.stop() };
      },
    },
    {
      name: 'moto',
      missing: motoMissing(),
      async start() {
        const moto = await startMoto();
        return { endpoint: moto.url, stop: () => moto.stop() };
      },
    },
  ];
}

const credentials = {
  accessKeyId: DUMMY_ENV.AWS_ACCESS_KEY_ID,
  secretAccessKey: DUMMY_ENV.AWS_SECRET_ACCESS_KEY,
};

export function lambdaClient(endpoint: string, region: string): LambdaClient {
  return new LambdaClient({ region, endpoint, credentials, maxAttempts: 2 });
}

export function ssmClient(endpoint: string, region: string): SSMClient {
  return new SSMClient({ region, endpoint, credentials, maxAttempts: 2 });
}

/** Publishes one version with this action's marker (or `marker: false` for a version someone else made). */
export async function publishVersion(
  client: LambdaClient,
  name: string,
  semver: string,
  options: { marker?: boolean } = {},
): Promise<{ arn: string; version: number }> {
  const description =
    options.marker === false
      ? `hand-made ${semver}`
      : describeMarker('test layer', { version: semver, commit: 'abcdef1234567' }).description;
  const out = await client.send(
    new PublishLayerVersionCommand({
      LayerName: name,
      Description: description,
      Content: { ZipFile: makeZip({ [`python/v${semver}.txt`]: semver }) },
      CompatibleRuntimes: ['python3.12'],
    }),
  );
  return { arn: out.LayerVersionArn!, version: out.Version! };
}

export async function deleteVersion(client: LambdaClient, name: string, version: number): Promise<void> {
  await client.send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: version }));
}
