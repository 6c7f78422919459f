/** The shared AWS pieces every command uses: the credential setup and the ListLayerVersions walker. */
import { LambdaClient, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { describe, expect, test } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { layerVersionPages } from '../src/aws/layer-versions.js';
import { awsSession, stsRegionFor } from '../src/aws/session.js';
import { StepError } from '../src/aws/step.js';

describe('stsRegionFor', () => {
  test.each([
    ['aws', { AWS_REGION: 'eu-west-1' }, 'eu-west-1'],
    ['aws', { AWS_DEFAULT_REGION: 'eu-west-2' }, 'eu-west-2'],
    ['aws', {}, 'us-east-1'],
    ['aws-cn', { AWS_REGION: 'eu-west-1' }, 'cn-north-1'],
    ['aws-us-gov', { AWS_REGION: 'us-gov-east-1' }, 'us-gov-east-1'],
  ] as const)('%s with %p -> %s', (partition, env, region) => {
    expect(stsRegionFor(partition, env)).toBe(region);
  });
});

describe('awsSession', () => {
  const settings = { roleSessionName: 'lambda-layer-release', audience: 'sts.amazonaws.com' };
  const role = 'arn:aws:iam::123456789012:role/publisher';

  test('the default chain: logged, checked, its secrets masked', async () => {
    const saved = { ...process.env };
    // Dummy keys in the environment, no instance metadata: nothing leaves this process.
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret-example',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    try {
      const lines: string[] = [];
      const masked: string[] = [];
      const session = awsSession(
        settings,
        'aws',
        { AWS_REGION: 'eu-west-1' },
        {
          getIdToken: async () => 'token',
          mask: (secret) => masked.push(secret),
          info: (m) => lines.push(m),
        },
      );
      expect(session.stsRegion).toBe('eu-west-1');
      await session.check();
      expect(lines).toEqual(['AWS credentials: the default credential chain.']);
      expect(masked).toEqual(['secret-example']);
    } finally {
      process.env = saved;
    }
  });

  test.each([
    ['without id-token: write', {}, 'us-east-1'],
    ['with id-token: write', { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/' }, 'us-east-1'],
  ])('a role %s: STS in the partition of the regions', (_name, env, region) => {
    const session = awsSession(
      { ...settings, roleToAssume: role },
      'aws',
      { ...env, AWS_REGION: 'cn-north-1' },
      {
        getIdToken: async () => 'token',
        mask: () => undefined,
        info: () => undefined,
      },
    );
    expect(session.stsRegion).toBe(region);
  });
});

describe('layerVersionPages', () => {
  const item = (version: number) => ({
    Version: version,
    LayerVersionArn: `arn:aws:lambda:us-east-1:1:layer:x:${version}`,
  });

  test('follows the markers to the last page, asking with the page size', async () => {
    const lambda = new LambdaClient({ region: 'us-east-1' });
    const mock = mockClient(lambda);
    mock
      .on(ListLayerVersionsCommand, { LayerName: 'x', MaxItems: 2 })
      .resolves({ LayerVersions: [item(5), item(4)], NextMarker: 'm1' })
      .on(ListLayerVersionsCommand, { LayerName: 'x', MaxItems: 2, Marker: 'm1' })
      .resolves({ LayerVersions: [item(3)] });
    const pages: number[][] = [];
    for await (const page of layerVersionPages(lambda, 'x', 2)) pages.push(page.map((i) => i.Version!));
    expect(pages).toEqual([[5, 4], [3]]);
    expect(mock.commandCalls(ListLayerVersionsCommand)).toHaveLength(2);
  });

  test('stops at maxPages, and a failure is tagged with the operation', async () => {
    const lambda = new LambdaClient({ region: 'us-east-1' });
    const mock = mockClient(lambda);
    mock.on(ListLayerVersionsCommand).resolves({ LayerVersions: [item(1)], NextMarker: 'again' });
    let pages = 0;
    for await (const _page of layerVersionPages(lambda, 'x', 50, 3)) pages++;
    expect(pages).toBe(3);
    mock.on(ListLayerVersionsCommand).rejects(new Error('boom'));
    const error = await layerVersionPages(lambda, 'x')
      .next()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepError);
    expect((error as StepError).operation).toBe('ListLayerVersions');
  });
});
