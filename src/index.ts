import { run } from './action/main.js';

await run();
// The outcome is decided and written: a socket or worker left open by a client must not hold the step open.
process.exit();
