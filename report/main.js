// The report sub-action runs the shared bundle with its command fixed.
process.env.INPUT_COMMAND = 'report';
await import('../dist/index.js');
