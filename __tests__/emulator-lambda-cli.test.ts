import { startEmulator } from '../emulators/index.js';
import { describeLambdaContract } from './emulator-contract-run.js';
import { NOT_ENABLED } from './emulator-contract.js';
import { awsCliMissing } from './emulator-support.js';

describeLambdaContract('emulator', awsCliMissing(), async () => {
  const emulator = await startEmulator({ aws: { notEnabled: NOT_ENABLED } });
  return { url: emulator.url, stop: () => emulator.stop() };
});
