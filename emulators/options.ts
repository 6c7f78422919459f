/**
 * The command line of `npm run emulate` (emulators/main.ts) as EmulatorOptions: a pure function, so every bad value
 * is tested in process; main.ts only prints and exits.
 */
import { parseArgs } from 'node:util';
import { parseFaultKinds, type FaultKind } from './faults.js';
import { SERVICES, type ServiceName } from './http.js';
import { DEFAULT_FUNCTION_UPDATE_MS } from './aws/context.js';
import type { EmulatorOptions } from './index.js';

export const USAGE =
  `npm run emulate -- [--port N] [--latency-ms N] [--latency-services ${SERVICES.join(',')}] ` +
  '[--fault-rate F] [--faults 429,500,reset,drop-after-commit] ' +
  `[--seed S] [--fault-services ${SERVICES.join(',')}] [--not-enabled REGION,...] [--denied REGION,...] ` +
  '[--retry-after S] [--immutable-releases] [--rate-limit RPS] [--function-update-ms N]';

/** The rate `--faults` implies when `--fault-rate` is not given: naming faults means wanting some. */
const RATE_WITH_FAULTS = 0.25;

export const HELP = `${USAGE}

Starts the local AWS (Lambda layers and functions, STS, EC2 DescribeRegions, SSM, S3) and GitHub (artifacts, releases, OIDC)
services on one 127.0.0.1 port, prints one line of JSON {"env": {...}} with every variable a client needs, and serves
until SIGTERM or SIGINT. Lists take commas or spaces.

  --port N                 port to listen on (default: a free one)
  --latency-ms N           delay every answer by N ms (default 0)
  --latency-services S,..  only these services get the latency (default: all)
  --fault-rate F           probability 0..1 that a request gets a fault (default 0, or ${RATE_WITH_FAULTS} with --faults)
  --faults K,..            fault kinds drawn from: 429, 500, reset, drop-after-commit (default: all four)
  --seed S                 seed of the reproducible fault sequence (default 1)
  --fault-services S,..    only these services get faults (default: all)
  --retry-after S          Retry-After seconds sent with 429 answers (default 1)
  --not-enabled R,..       regions the account has not enabled (403 UnrecognizedClientException, EC2 AuthFailure)
  --denied R,..            regions an IAM policy denies (403 AccessDeniedException)
  --immutable-releases     the repository has immutable releases: a release published from now on keeps its assets
                           (uploads and deletes are 422, as GitHub answers); drafts stay mutable
  --rate-limit RPS         Lambda control-plane requests per second per account and region (a token bucket of
                           RPS tokens); above it, 429 TooManyRequestsException (default: no limit; AWS: 15)
  --function-update-ms N   how long a new function stays Pending and an update InProgress (default 250)
  --help                   this text

Services: ${SERVICES.join(', ')}. Exit status 2 for a bad option.
`;

/** Every option `npm run emulate` takes (the --help text describes each). */
export const OPTIONS = {
  port: { type: 'string' },
  'latency-ms': { type: 'string' },
  'latency-services': { type: 'string' },
  'fault-rate': { type: 'string' },
  faults: { type: 'string' },
  seed: { type: 'string' },
  'fault-services': { type: 'string' },
  'not-enabled': { type: 'string' },
  denied: { type: 'string' },
  'retry-after': { type: 'string' },
  'immutable-releases': { type: 'boolean' },
  'rate-limit': { type: 'string' },
  'function-update-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A bad command line: main.ts prints the message and the usage, and exits 2. */
export class UsageError extends Error {}

function fail(message: string): never {
  throw new UsageError(message);
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function number(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    fail(`--${name} must be a non-negative number, got '${value}'.`);
  }
  return n;
}

function port(value: string | undefined): number {
  const n = number('port', value, 0);
  if (!Number.isInteger(n) || n > 65535) fail(`--port must be an integer from 0 to 65535, got '${value}'.`);
  return n;
}

/** Region names as AWS spells them (us-east-1, us-gov-west-1, ap-southeast-7, eusc-de-east-1). */
function regions(flag: 'not-enabled' | 'denied', value: string | undefined): string[] {
  const names = list(value);
  for (const name of names) {
    if (!/^[a-z]{2,4}(-[a-z]+)+-\d+$/.test(name)) fail(`--${flag}: '${name}' is not a region name (like eu-west-1).`);
  }
  return names;
}

function serviceList(
  flag: 'fault-services' | 'latency-services',
  value: string | undefined,
): ServiceName[] | undefined {
  const names = list(value);
  for (const s of names) {
    if (!(SERVICES as readonly string[]).includes(s)) {
      fail(`Unknown service '${s}' in --${flag}. Expected some of: ${SERVICES.join(', ')}.`);
    }
  }
  return names.length ? (names as ServiceName[]) : undefined;
}

function faultKinds(value: string | undefined): FaultKind[] | undefined {
  try {
    return value !== undefined ? parseFaultKinds(value) : undefined;
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
}

/** The emulator's options from its arguments (without node and the script), `help` for --help; UsageError when bad. */
export function parseEmulatorArgs(args: string[]): { help: true } | { help: false; options: EmulatorOptions } {
  const { values } = (() => {
    try {
      return parseArgs({ args, options: OPTIONS, strict: true });
    } catch (err) {
      fail(err instanceof Error ? err.message : String(err));
    }
  })();
  if (values.help) return { help: true };
  const kinds = faultKinds(values.faults);
  if (kinds?.length === 0) fail('--faults names no fault kind.');
  const rate = number('fault-rate', values['fault-rate'], kinds ? RATE_WITH_FAULTS : 0);
  if (rate > 1) fail(`--fault-rate is a probability between 0 and 1, got '${values['fault-rate']}'.`);
  return {
    help: false,
    options: {
      port: port(values.port),
      latencyMs: number('latency-ms', values['latency-ms'], 0),
      latencyServices: serviceList('latency-services', values['latency-services']),
      faults: {
        rate,
        ...(kinds ? { kinds } : {}),
        seed: values.seed ?? '1',
        services: serviceList('fault-services', values['fault-services']),
        retryAfterSeconds: number('retry-after', values['retry-after'], 1),
      },
      aws: {
        notEnabled: regions('not-enabled', values['not-enabled']),
        denied: regions('denied', values.denied),
        rateLimit: number('rate-limit', values['rate-limit'], 0),
        functionUpdateMs: number('function-update-ms', values['function-update-ms'], DEFAULT_FUNCTION_UPDATE_MS),
      },
      github: { immutableReleases: values['immutable-releases'] ?? false },
    },
  };
}
