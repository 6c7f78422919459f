// The publish sub-action runs the shared bundle with its command fixed.
process.env.INPUT_COMMAND = 'publish';
await import('../dist/index.js');
