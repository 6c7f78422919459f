import { HELP, USAGE, UsageError, parseEmulatorArgs } from './options.js';
import { startEmulator } from './index.js';

function fail(message: string, status: number): never {
  process.stderr.write(status === 2 ? `${message}\nUsage: ${USAGE}\n` : `${message}\n`);
  process.exit(status);
}

const parsed = (() => {
  try {
    return parseEmulatorArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) fail(err.message, 2);
    throw err;
  }
})();

if (parsed.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const { options } = parsed;

const emulator = await startEmulator(options).catch((err: NodeJS.ErrnoException) =>
  fail(
    err.code === 'EADDRINUSE' ? `Port ${options.port} is in use; pick another or leave --port out.` : String(err),
    1,
  ),
);

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

// Only now the env line: a caller that reads it and at once sends SIGTERM finds the handler in place (before, on a
// loaded machine, such a signal could land first and kill the process with 143).
process.stdout.write(`${JSON.stringify({ env: emulator.env })}\n`);
