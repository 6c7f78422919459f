import { parseArgs } from 'node:util';
import { parseFaultKinds } from './faults.js';
import { SERVICES, type ServiceName } from './http.js';
import { startEmulator } from './index.js';

const USAGE =
  `npm run emulate -- [--port N] [--latency-ms N] [--latency-services ${SERVICES.join(',')}] ` +
  '[--fault-rate F] [--faults 429,500,reset,drop-after-commit] ' +
  `[--seed S] [--fault-services ${SERVICES.join(',')}] [--not-enabled REGION,...] [--denied REGION,...] ` +
  '[--retry-after S]';

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function fail(message: string): never {
  process.stderr.write(`${message}\nUsage: ${USAGE}\n`);
  process.exit(2);
}

function number(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) fail(`--${name} must be a non-negative number, got '${value}'.`);
  return n;
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
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
        help: { type: 'boolean' },
      },
      strict: true,
    });
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
})();

if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const rate = number('fault-rate', values['fault-rate'], 0);
if (rate > 1) fail(`--fault-rate is a probability between 0 and 1, got '${values['fault-rate']}'.`);
function serviceList(flag: 'fault-services' | 'latency-services'): ServiceName[] | undefined {
  const names = list(values[flag]);
  for (const s of names) {
    if (!(SERVICES as readonly string[]).includes(s)) fail(`Unknown service '${s}' in --${flag}.`);
  }
  return names.length ? (names as ServiceName[]) : undefined;
}
const services = serviceList('fault-services');
const latencyServices = serviceList('latency-services');
let kinds;
try {
  kinds = values.faults ? parseFaultKinds(values.faults) : undefined;
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}

const emulator = await startEmulator({
  port: number('port', values.port, 0),
  latencyMs: number('latency-ms', values['latency-ms'], 0),
  latencyServices,
  faults: {
    rate,
    ...(kinds ? { kinds } : {}),
    seed: values.seed ?? '1',
    services,
    retryAfterSeconds: number('retry-after', values['retry-after'], 1),
  },
  aws: { notEnabled: list(values['not-enabled']), denied: list(values.denied) },
});

process.stdout.write(`${JSON.stringify({ env: emulator.env })}\n`);

// SIGTERM reaches this process through tsx. Under `npm run emulate`, npm forwards it to the `sh -c` it started,
// which dies without passing it on; a caller that starts npm should signal the whole process group.
let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await emulator.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
