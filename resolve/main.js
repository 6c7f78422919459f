// The resolve sub-action runs the shared bundle with its command fixed.
process.env.INPUT_COMMAND = 'resolve';
await import('../dist/index.js');
