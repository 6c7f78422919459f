import type { EmulatorComponent } from '../component.js';
import { AwsContext, type AwsOptions } from './context.js';
import { createAwsControl } from './control.js';
import { createEc2Service } from './ec2.js';
import { createLambdaService } from './lambda/service.js';
import { createS3Service } from './s3/service.js';
import { createSsmService } from './ssm.js';
import { createStsService } from './sts.js';

export type { AwsConfig, AwsOptions } from './context.js';
export { AwsContext } from './context.js';

/** Dummy credentials: any key the emulator did not issue belongs to the default account (123456789012). */
export const DUMMY_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAEMULATOR00000000',
  AWS_SECRET_ACCESS_KEY: 'emulator-secret-access-key-not-a-secret',
} as const;

/**
 * Lambda (layers), STS, EC2 (DescribeRegions), SSM (parameters) and S3 on the one emulator port, told apart by the
 * service in the request's SigV4 scope; the region comes from the same scope, so one port serves every region.
 */
export function createAwsComponent(options: AwsOptions = {}, ctx = new AwsContext(options)): EmulatorComponent {
  return {
    services: [
      createLambdaService(ctx),
      createStsService(ctx),
      createEc2Service(ctx),
      createSsmService(ctx),
      createS3Service(ctx),
    ],
    control: createAwsControl(ctx),
    env: (baseUrl) => ({
      AWS_ENDPOINT_URL: baseUrl,
      AWS_ENDPOINT_URL_LAMBDA: baseUrl,
      AWS_ENDPOINT_URL_STS: baseUrl,
      AWS_ENDPOINT_URL_EC2: baseUrl,
      AWS_ENDPOINT_URL_SSM: baseUrl,
      AWS_ENDPOINT_URL_S3: baseUrl,
      ...DUMMY_CREDENTIALS,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    }),
  };
}
