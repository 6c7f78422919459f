import { Architecture, Runtime } from '@aws-sdk/client-lambda';

/** Constraints from the Lambda API model, with the wording AWS uses when one fails. */
export const LAYER_NAME_PATTERN =
  '(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+';
export const LAYER_VERSION_ARN_PATTERN = 'arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+';
const STATEMENT_ID_PATTERN = '([a-zA-Z0-9-_]+)';
const PRINCIPAL_PATTERN = '\\d{12}|\\*|arn:(aws[a-zA-Z-]*):iam::\\d{12}:root';
const ORGANIZATION_PATTERN = 'o-[a-z0-9]{10,32}';
const ACTION_PATTERN = 'lambda:GetLayerVersion';

/** The runtimes AWS accepts: the current SDK's enum, so the emulator tracks the SDK. Deprecated ones included. */
export const RUNTIMES: readonly string[] = Object.values(Runtime);
export const ARCHITECTURES: readonly string[] = Object.values(Architecture);

export const LIMITS = {
  layerName: 140,
  description: 256,
  licenseInfo: 512,
  runtimes: 15,
  architectures: 2,
  statementId: 100,
  maxItems: 50,
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

/** Collects constraint failures, worded as AWS words them, for one ValidationException. */
export class Failures {
  readonly list: string[] = [];

  pattern(field: string, value: string | undefined, pattern: string): this {
    if (value !== undefined && !full(pattern).test(value)) {
      this.list.push(
        `Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`,
      );
    }
    return this;
  }

  maxLength(field: string, value: string | undefined, max: number): this {
    if (value !== undefined && value.length > max) {
      this.list.push(
        `Value '${value}' at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
      );
    }
    return this;
  }

  minLength(field: string, value: string | undefined, min: number): this {
    if (value !== undefined && value.length < min) {
      this.list.push(
        `Value '${value}' at '${field}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`,
      );
    }
    return this;
  }

  required(field: string, value: unknown): this {
    if (value === undefined || value === null) {
      this.list.push(`Value null at '${field}' failed to satisfy constraint: Member must not be null`);
    }
    return this;
  }

  enumList(field: string, values: string[] | undefined, allowed: readonly string[], max: number): this {
    if (values === undefined) return this;
    const shown = `[${values.join(', ')}]`;
    if (values.some((v) => !allowed.includes(v))) {
      this.list.push(
        `Value '${shown}' at '${field}' failed to satisfy constraint: Member must satisfy constraint: ` +
          `[Member must satisfy enum value set: [${allowed.join(', ')}]]`,
      );
    }
    if (values.length > max) {
      this.list.push(
        `Value '${shown}' at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
      );
    }
    return this;
  }

  enumValue(field: string, value: string | undefined, allowed: readonly string[]): this {
    if (value !== undefined && !allowed.includes(value)) {
      this.list.push(
        `Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
      );
    }
    return this;
  }

  range(field: string, value: number | undefined, min: number, max: number): this {
    if (value === undefined) return this;
    if (value < min) {
      this.list.push(
        `Value '${value}' at '${field}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`,
      );
    } else if (value > max) {
      this.list.push(
        `Value '${value}' at '${field}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
      );
    }
    return this;
  }

  layerName(value: string): this {
    return this.pattern('layerName', value, LAYER_NAME_PATTERN)
      .minLength('layerName', value, 1)
      .maxLength('layerName', value, LIMITS.layerName);
  }

  statementId(value: string | undefined): this {
    return this.pattern('statementId', value, STATEMENT_ID_PATTERN)
      .minLength('statementId', value, 1)
      .maxLength('statementId', value, LIMITS.statementId);
  }

  permission(action: string | undefined, principal: string | undefined, organizationId: string | undefined): this {
    return this.required('action', action)
      .required('principal', principal)
      .pattern('action', action, ACTION_PATTERN)
      .pattern('principal', principal, PRINCIPAL_PATTERN)
      .pattern('organizationId', organizationId, ORGANIZATION_PATTERN);
  }
}

/** A string member of a JSON body, or undefined; anything else is the client's mistake. */
export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function optionalStringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map(String) : undefined;
}
