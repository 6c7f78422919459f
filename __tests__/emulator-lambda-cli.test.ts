import { startEmulator } from '../emulators/index.js';
import { describeLambdaContract } from '../__fixtures__/emulator-contract-run.js';
import { NOT_ENABLED } from '../__fixtures__/emulator-contract.js';
import { awsCliMissing } from '../__fixtures__/emulator-support.js';

describeLambdaContract('emulator', awsCliMissing(), async () => {
  const emulator = await startEmulator({ aws: { notEnabled: NOT_ENABLED } });
  return { url: emulator.url, stop: () => emulator.stop() };
});
