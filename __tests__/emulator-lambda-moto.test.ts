import { describeLambdaContract } from './emulator-contract-run.js';
import { awsCliMissing, motoMissing, startMoto } from './emulator-support.js';

describeLambdaContract('moto', awsCliMissing() ?? motoMissing(), startMoto);
