/**
 * SSM pointers that hold something a region cannot use: an ARN of another region or partition (a hand copy, or the
 * "every row points at us-east-1" mistake). Such a pointer is overwritten with a warning, whatever semver it names.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GetParametersCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { writeSsmPointers } from '../src/publish/follow-ups/ssm-pointers.js';
import {
  awsBackends,
  lambdaClient,
  publishVersion,
  ssmClient,
  type AwsBackend,
} from '../__fixtures__/release-support.js';

describe.each(awsBackends())('SSM pointers on $name', (spec) => {
  const run = spec.missing ? test.skip : test;
  if (spec.missing) test(`skipped: ${spec.missing}`, () => undefined);
  let backend: AwsBackend;
  const warnings: string[] = [];

  beforeAll(async () => {
    if (!spec.missing) backend = await spec.start();
  });

  afterAll(async () => {
    await backend?.stop();
  });

  run.each([
    ['another region', (arn: string) => arn.replace(':us-east-1:', ':eu-west-1:'), 'eu-west-1'],
    ['another partition', (arn: string) => arn.replace('arn:aws:', 'arn:aws-cn:'), 'aws-cn'],
  ])('a pointer to %s is overwritten, saying why', async (label, forge, named) => {
    const prefix = `/edge-${label.replace(/ /g, '-')}`;
    const newer = await publishVersion(lambdaClient(backend.endpoint, 'eu-west-1'), 'otel', '9.0.0');
    const ours = await publishVersion(lambdaClient(backend.endpoint, 'us-east-1'), 'otel', '1.0.0');
    const foreign = forge(newer.arn.replace(':eu-west-1:', ':us-east-1:'));
    const ssm = ssmClient(backend.endpoint, 'us-east-1');
    await ssm.send(new PutParameterCommand({ Name: `${prefix}/otel/latest`, Value: foreign, Type: 'String' }));
    const [result] = await writeSsmPointers({
      prefix,
      name: 'otel',
      version: '1.0.0',
      arns: { 'us-east-1': ours.arn },
      ssmFor: (region) => ssmClient(backend.endpoint, region),
      lambdaFor: (region) => lambdaClient(backend.endpoint, region),
      logger: { info: () => undefined, warning: (m) => warnings.push(m) },
    });
    expect(result.error).toBeUndefined();
    expect(result.pointers[0]).toMatchObject({ outcome: 'updated', previous: foreign });
    expect(result.pointers[0].reason).toContain(named);
    expect(warnings.join('\n')).toContain(`overwrote ${prefix}/otel/latest`);
    const now = await ssm.send(new GetParametersCommand({ Names: [`${prefix}/otel/latest`] }));
    expect(now.Parameters?.[0]?.Value).toBe(ours.arn);
  });
});
