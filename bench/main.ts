// npm run bench -- <suite>: each suite measures us against a peer in the same run and prints ratios.
const suites: Record<string, () => Promise<{ default: () => Promise<void> } | { run: () => Promise<void> }>> = {
  build: () => import('./build.js'),
  publish: () => import('./publish.js'),
};

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const chosen = names.length ? names : Object.keys(suites);
for (const name of chosen) {
  const load = suites[name];
  if (!load) {
    process.stderr.write(`Unknown benchmark '${name}'. Choose from: ${Object.keys(suites).join(', ')}\n`);
    process.exit(2);
  }
  const suite = await load();
  await ('run' in suite ? suite.run() : suite.default());
}
