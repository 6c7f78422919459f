import { Architecture, Runtime } from '@aws-sdk/client-lambda';
import { LambdaError } from './errors.js';

/**
 * Runtime ids AWS still accepts for layers although no SDK enum lists them any more: the enum value set Lambda
 * printed in a layer ValidationException, as LocalStack's tests recorded it against AWS (VALID_LAYER_RUNTIMES).
 */
const LEGACY_LAYER_RUNTIMES = [
  'ruby2.6',
  'nasa',
  'python2.7-greengrass',
  'go1.9',
  'byol',
  'nodejs8.x',
  'nodejs8.9',
  'python3.4',
];

/** The runtimes AWS accepts for layers: the current SDK's enum (deprecated ones included) and the legacy ids. */
export const RUNTIMES: readonly string[] = [
  ...Object.values(Runtime),
  ...LEGACY_LAYER_RUNTIMES.filter((r) => !(Object.values(Runtime) as string[]).includes(r)),
];
export const ARCHITECTURES: readonly string[] = Object.values(Architecture);

export interface Constraint {
  type: 'string' | 'list' | 'integer';
  min?: number;
  max?: number;
  pattern?: string;
  enum?: readonly string[];
  /** For lists: the shape of each member (a key of SHAPES). */
  member?: string;
  /** The pattern AWS itself checks and prints when it is wider than the model's (see function-shapes.ts). */
  awsPattern?: string;
}

/**
 * The Lambda model's constraints (botocore lambda/2015-03-31/service-2.json) on the layer operations' inputs, by
 * shape name. __tests__/emulator-lambda-model.test.ts compares this table with the model, so a change in the model
 * fails a test instead of drifting silently.
 */
export const SHAPES = {
  LayerName: {
    type: 'string',
    min: 1,
    max: 140,
    pattern: '(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+',
  },
  LayerVersionArn: {
    type: 'string',
    min: 1,
    max: 140,
    pattern: 'arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+',
  },
  Description: { type: 'string', min: 0, max: 256 },
  LicenseInfo: { type: 'string', min: 0, max: 512 },
  S3Bucket: { type: 'string', min: 3, max: 63, pattern: '[0-9A-Za-z\\.\\-_]*(?<!\\.)' },
  S3Key: { type: 'string', min: 1, max: 1024 },
  S3ObjectVersion: { type: 'string', min: 1, max: 1024 },
  StatementId: { type: 'string', min: 1, max: 100, pattern: '([a-zA-Z0-9-_]+)' },
  LayerPermissionAllowedAction: { type: 'string', min: 0, max: 22, pattern: 'lambda:GetLayerVersion' },
  LayerPermissionAllowedPrincipal: { type: 'string', pattern: '\\d{12}|\\*|arn:(aws[a-zA-Z-]*):iam::\\d{12}:root' },
  OrganizationId: { type: 'string', min: 0, max: 34, pattern: 'o-[a-z0-9]{10,32}' },
  MaxLayerListItems: { type: 'integer', min: 1, max: 50 },
  Runtime: { type: 'string', enum: RUNTIMES },
  Architecture: { type: 'string', enum: ARCHITECTURES },
  CompatibleRuntimes: { type: 'list', min: 0, max: 15, member: 'Runtime' },
  CompatibleArchitectures: { type: 'list', min: 0, max: 2, member: 'Architecture' },
} as const satisfies Record<string, Constraint>;
export type ShapeName = keyof typeof SHAPES;

export const LIMITS = {
  /** Bytes of one request; AWS names this number in its 413 message. */
  request: 69_905_067,
  /** Bytes of a ZipFile sent inline (50 MiB; its base64 form alone is over the request limit). */
  zipFile: 50 * 1024 * 1024,
  unzipped: 262_144_000,
  policy: 20_480,
} as const;

function full(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

const CONSTRAINT = 'failed to satisfy constraint: Member must';

/** Collects constraint failures, worded as AWS words them, for one ValidationException. */
export class Failures {
  readonly list: string[] = [];

  private fail(value: unknown, field: string, rule: string): void {
    this.list.push(`Value ${value === null ? 'null' : `'${String(value)}'`} at '${field}' ${CONSTRAINT} ${rule}`);
  }

  required(field: string, value: unknown): this {
    if (value === undefined || value === null) this.fail(null, field, 'not be null');
    return this;
  }

  /** Every constraint of the shape that `value` breaks (nothing when the member is absent). */
  check(field: string, value: string | number | string[] | undefined, shapeName: ShapeName | Constraint): this {
    if (value === undefined) return this;
    const shape: Constraint = typeof shapeName === 'string' ? SHAPES[shapeName] : shapeName;
    if (shape.type === 'list' && Array.isArray(value)) {
      const allowed = shape.member ? (SHAPES as Record<string, Constraint>)[shape.member]?.enum : undefined;
      const shown = `[${value.join(', ')}]`;
      if (allowed && value.some((v) => !allowed.includes(v))) {
        this.fail(shown, field, `satisfy constraint: [Member must satisfy enum value set: [${allowed.join(', ')}]]`);
      }
      if (shape.max !== undefined && value.length > shape.max) {
        this.fail(shown, field, `have length less than or equal to ${shape.max}`);
      }
      return this;
    }
    if (shape.type === 'integer' && typeof value === 'number') {
      if (shape.min !== undefined && value < shape.min) {
        this.fail(value, field, `have value greater than or equal to ${shape.min}`);
      } else if (shape.max !== undefined && value > shape.max) {
        this.fail(value, field, `have value less than or equal to ${shape.max}`);
      }
      return this;
    }
    if (typeof value !== 'string') return this;
    const pattern = shape.awsPattern ?? shape.pattern;
    if (pattern !== undefined && !full(pattern).test(value)) {
      this.fail(value, field, `satisfy regular expression pattern: ${pattern}`);
    }
    if (shape.min !== undefined && value.length < shape.min) {
      this.fail(value, field, `have length greater than or equal to ${shape.min}`);
    }
    if (shape.max !== undefined && value.length > shape.max) {
      this.fail(value, field, `have length less than or equal to ${shape.max}`);
    }
    if (shape.enum && !shape.enum.includes(value)) {
      this.fail(value, field, `satisfy enum value set: [${shape.enum.join(', ')}]`);
    }
    return this;
  }
}

/**
 * A member of a JSON body that must be a string when present (null counts as absent, as in AWS's deserializer);
 * any other type is a body Lambda cannot read.
 */
export function bodyString(body: Record<string, unknown>, member: string): string | undefined {
  const value = body[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw unreadable(member, 'a string');
  return value;
}

export function bodyStringList(body: Record<string, unknown>, member: string): string[] | undefined {
  const value = body[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw unreadable(member, 'a list of strings');
  return value as string[];
}

export function bodyObject(body: Record<string, unknown>, member: string): Record<string, unknown> | undefined {
  const value = body[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw unreadable(member, 'an object');
  return value as Record<string, unknown>;
}

export function unreadable(member: string, expected: string): LambdaError {
  return new LambdaError(
    400,
    'InvalidRequestContentException',
    `Could not parse request body into json: ${member} must be ${expected}`,
  );
}
