/**
 * Tables for emulator-lambda-functions-model.test.ts: the members the emulator models per operation and the members
 * each answer leaves out (the errors are in emulator-functions-errors.ts).
 */

const FN_MEMBERS = ['FunctionName'];
const CODE = ['Code', 'Code.ZipFile', 'Code.S3Bucket', 'Code.S3Key', 'Code.S3ObjectVersion'];
const SETTINGS = ['Role', 'Handler', 'Description', 'Timeout', 'MemorySize', 'Runtime', 'Layers'];
const ENVIRONMENT = ['Environment', 'Environment.Variables'];
const ROUTING = ['RoutingConfig', 'RoutingConfig.AdditionalVersionWeights'];

/** Member paths the emulator models; any other member is refused with InvalidParameterValueException by name. */
export const MODELLED: Record<string, string[]> = {
  CreateFunction: [
    ...FN_MEMBERS,
    ...SETTINGS,
    ...CODE,
    ...ENVIRONMENT,
    'Publish',
    'PackageType',
    'Tags',
    'Architectures',
  ],
  GetFunction: [...FN_MEMBERS, 'Qualifier'],
  GetFunctionConfiguration: [...FN_MEMBERS, 'Qualifier'],
  DeleteFunction: [...FN_MEMBERS, 'Qualifier'],
  ListFunctions: ['MasterRegion', 'FunctionVersion', 'Marker', 'MaxItems'],
  UpdateFunctionConfiguration: [...FN_MEMBERS, ...SETTINGS, ...ENVIRONMENT, 'RevisionId'],
  PublishVersion: [...FN_MEMBERS, 'CodeSha256', 'Description', 'RevisionId'],
  ListVersionsByFunction: [...FN_MEMBERS, 'Marker', 'MaxItems'],
  CreateAlias: [...FN_MEMBERS, 'Name', 'FunctionVersion', 'Description', ...ROUTING],
  GetAlias: [...FN_MEMBERS, 'Name'],
  UpdateAlias: [...FN_MEMBERS, 'Name', 'FunctionVersion', 'Description', 'RevisionId', ...ROUTING],
  DeleteAlias: [...FN_MEMBERS, 'Name'],
  ListAliases: [...FN_MEMBERS, 'FunctionVersion', 'Marker', 'MaxItems'],
  ListTags: ['Resource'],
  TagResource: ['Resource', 'Tags'],
  UntagResource: ['Resource', 'TagKeys'],
};

/** FunctionConfiguration members a .zip function without VPC, KMS, file systems or code signing never has. */
const NEVER = [
  'VpcConfig',
  'DeadLetterConfig',
  'KMSKeyArn',
  'MasterArn',
  'FileSystemConfigs',
  'ImageConfigResponse',
  'SigningProfileVersionArn',
  'SigningJobArn',
  'CapacityProviderConfig',
  'ConfigSha256',
  'DurableConfig',
  'TenancyConfig',
  'Environment.Error',
  'RuntimeVersionConfig.Error',
  'LoggingConfig.ApplicationLogLevel',
  'LoggingConfig.SystemLogLevel',
  'Layers[].SigningProfileVersionArn',
  'Layers[].SigningJobArn',
];
const SETTLED = [...NEVER, 'StateReason', 'StateReasonCode', 'LastUpdateStatusReason', 'LastUpdateStatusReasonCode'];
const LISTED = [...SETTLED, 'State', 'LastUpdateStatus', 'RuntimeVersionConfig'];
/** The function the read cases look at has neither layers nor environment variables. */
const PLAIN = ['Layers', 'Environment'];
const under = (prefix: string, paths: string[]) => paths.map((p) => `${prefix}${p}`);

export const ABSENT: Record<string, string[]> = {
  CreateFunction: [...NEVER, 'LastUpdateStatus', 'LastUpdateStatusReason', 'LastUpdateStatusReasonCode'],
  GetFunction: [
    ...under('Configuration.', [...SETTLED, ...PLAIN]),
    'Code.ImageUri',
    'Code.ResolvedImageUri',
    'Code.SourceKMSKeyArn',
    'Tags',
    'TagsError',
    'Concurrency',
  ],
  GetFunctionConfiguration: [...SETTLED, ...PLAIN],
  ListFunctions: under('Functions[].', LISTED),
  UpdateFunctionConfiguration: [...NEVER, 'StateReason', 'StateReasonCode'],
  PublishVersion: [...SETTLED, ...PLAIN],
  ListVersionsByFunction: under('Versions[].', [...LISTED, ...PLAIN]),
  GetAlias: ['RoutingConfig'],
  UpdateAlias: ['RoutingConfig'],
  ListAliases: ['NextMarker'],
};
