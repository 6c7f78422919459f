import { Runtime } from '@aws-sdk/client-lambda';
import type { Constraint } from './validation.js';

/**
 * AWS's own patterns where they are wider than botocore's model: the eusc-de-east-1 region (partition aws-eusc), as
 * the patterns in AWS's ValidationException messages show (LocalStack's tests recorded them against AWS). The model
 * pattern stays in `pattern` (compared with the model by emulator-lambda-model.test.ts); `awsPattern` is what the
 * emulator checks and prints.
 */
const REGION = '(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}';

/**
 * The Lambda model's constraints on the function, version, alias and tag operations' inputs that the emulator
 * models, by shape name (botocore lambda/2015-03-31/service-2.json). Members the emulator does not model (VpcConfig,
 * ImageConfig, KMSKeyArn, ...) are refused by name, so their shapes are not here.
 */
export const FUNCTION_SHAPES = {
  FunctionName: {
    type: 'string',
    min: 1,
    max: 140,
    pattern:
      '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
    awsPattern: `(arn:(aws[a-zA-Z-]*)?:lambda:)?(${REGION}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
  },
  NamespacedFunctionName: {
    type: 'string',
    min: 1,
    max: 256,
    pattern:
      '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?',
    awsPattern: `(arn:(aws[a-zA-Z-]*)?:lambda:)?(${REGION}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?`,
  },
  NumericLatestPublishedOrAliasQualifier: {
    type: 'string',
    min: 1,
    max: 128,
    pattern: '\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+',
  },
  RoleArn: { type: 'string', pattern: 'arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+' },
  Handler: { type: 'string', min: 0, max: 128, pattern: '[^\\s]+' },
  Timeout: { type: 'integer', min: 1 },
  MemorySize: { type: 'integer', min: 128, max: 32768 },
  PackageType: { type: 'string', enum: ['Zip', 'Image'] },
  ArchitecturesList: { type: 'list', min: 1, max: 1, member: 'Architecture' },
  LayerList: { type: 'list', member: 'LayerVersionArn' },
  MasterRegion: { type: 'string', pattern: 'ALL|[a-z]{2}(-gov)?-[a-z]+-\\d{1}' },
  FunctionVersion: { type: 'string', enum: ['ALL'] },
  MaxListItems: { type: 'integer', min: 1, max: 10000 },
  Alias: { type: 'string', min: 1, max: 128, pattern: '(?!^[0-9]+$)([a-zA-Z0-9-_]+)' },
  VersionWithLatestPublished: { type: 'string', min: 1, max: 1024, pattern: '(\\$LATEST(\\.PUBLISHED)?|[0-9]+)' },
  TaggableResource: {
    type: 'string',
    min: 1,
    max: 256,
    pattern:
      'arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)',
    awsPattern: `arn:(aws[a-zA-Z-]*):lambda:${REGION}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)`,
  },
  TagKeyList: { type: 'list', member: 'TagKey' },
} as const satisfies Record<string, Constraint>;

/**
 * The pattern AWS checks each entry of `Layers` against, and the sentence it answers with (recorded against AWS):
 * wider than the model's LayerVersionArn (2048 characters, AWS-managed `awslayer` ARNs).
 */
export const LAYER_LIST_PATTERN = `(arn:(aws[a-zA-Z-]*)?:lambda:${REGION}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)`;
export const LAYER_LIST_RULE =
  'Member must satisfy constraint: [Member must have length less than or equal to 2048, Member must have length ' +
  `greater than or equal to 1, Member must satisfy regular expression pattern: ${LAYER_LIST_PATTERN}, Member must not be null]`;

/** Layers a function may reference (the quota AWS answers "Cannot reference more than 5 layers." for). */
export const MAX_LAYERS = 5;
/** Tags per function. */
export const MAX_TAGS = 50;
/** A function name alone (not an ARN) is limited to this many characters. */
export const MAX_NAME_LENGTH = 64;
/** CreateFunction takes a bigger request than the other operations (the number AWS names in its 413). */
export const CREATE_FUNCTION_REQUEST_LIMIT = 70_167_211;

/**
 * Runtimes AWS no longer lets a function be created with or updated to (their "block update" date passed before
 * 2025; later deprecations are not modelled, as their dates keep moving). AWS answers InvalidParameterValueException
 * "The runtime parameter of X is no longer supported ...".
 */
export const BLOCKED_RUNTIMES: readonly string[] = [
  'nodejs',
  'nodejs4.3',
  'nodejs4.3-edge',
  'nodejs6.10',
  'nodejs8.10',
  'nodejs10.x',
  'nodejs12.x',
  'nodejs14.x',
  'python2.7',
  'python3.6',
  'python3.7',
  'dotnetcore1.0',
  'dotnetcore2.0',
  'dotnetcore2.1',
  'dotnetcore3.1',
  'ruby2.5',
  'ruby2.7',
  'java8',
  'go1.x',
  'provided',
];

/** The runtimes a function can use: the SDK's enum without the blocked ones (AWS lists them in its own order). */
export const FUNCTION_RUNTIMES: readonly string[] = Object.values(Runtime as Record<string, string>).filter(
  (r) => !BLOCKED_RUNTIMES.includes(r),
);
