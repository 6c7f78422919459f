// npm run bench -- [suite ...] [--option value ...]: each suite measures us against a peer in the same run and prints
// ratios. Suite names are the leading words; options after them are the suites' own (see bench/<suite>.ts).
const suites: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  build: () => import('./build.js'),
  publish: () => import('./publish.js'),
  'zip-check': () => import('./zip-check.js'),
  rollout: () => import('./rollout.js'),
};

const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith('-'));
const names = firstOption < 0 ? args : args.slice(0, firstOption);
for (const name of names) {
  if (!suites[name]) {
    process.stderr.write(`Unknown benchmark '${name}'. Choose from: ${Object.keys(suites).join(', ')}\n`);
    process.exit(2);
  }
}
for (const name of names.length ? names : Object.keys(suites)) {
  const suite = await suites[name]();
  await suite.run();
}
