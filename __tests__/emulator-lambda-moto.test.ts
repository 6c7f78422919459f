import { describeLambdaContract } from '../__fixtures__/emulator-contract-run.js';
import { awsCliMissing, motoMissing, startMoto } from '../__fixtures__/emulator-support.js';

describeLambdaContract('moto', awsCliMissing() ?? motoMissing(), startMoto);
