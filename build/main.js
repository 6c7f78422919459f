// The build sub-action runs the shared bundle with its command fixed.
process.env.INPUT_COMMAND = 'build';
await import('../dist/index.js');
