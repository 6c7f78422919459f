// The rollout sub-action runs the shared bundle with its command fixed.
process.env.INPUT_COMMAND = 'rollout';
await import('../dist/index.js');
