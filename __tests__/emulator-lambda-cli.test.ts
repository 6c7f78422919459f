import { startEmulator } from '../emulators/index.js';
import { describeLambdaContract } from '../__fixtures__/emulator-contract-run.js';
import { NOT_ENABLED } from '../__fixtures__/emulator-contract.js';
import { awsClis } from '../__fixtures__/emulator-support.js';

// Every CLI major version installed here (pip's v1, Debian's v2) runs the contract against its own emulator.
const clis = awsClis();
const start = async () => {
  const emulator = await startEmulator({ aws: { notEnabled: NOT_ENABLED } });
  return { url: emulator.url, stop: () => emulator.stop() };
};
if (clis.length === 0) describeLambdaContract('emulator', 'the AWS CLI (`aws`) is not installed', start);
for (const cli of clis) describeLambdaContract('emulator', undefined, start, cli);
