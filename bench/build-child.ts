/**
 * One measured build for bench/build.ts, in its own process so that its peak RSS is ours alone:
 * `node --import tsx bench/build-child.ts <tree> <out-dir>` prints {"wallMs","size","rssKiB"}.
 */
import { buildLayer } from '../src/layer/build.js';

const [tree, outputDir] = process.argv.slice(2);
const started = performance.now();
const layer = await buildLayer(
  {
    name: 'bench',
    path: tree,
    runtimes: [],
    architectures: [],
    // The tree is a node_modules folder: zipped as is, like Info-ZIP, with nothing excluded.
    layout: { kind: 'none' },
    exclude: [],
    version: '1.0.0',
    description: '',
    licenseInfo: '',
    outputDir,
    epochSeconds: 0,
    commit: '',
    ref: '',
    runId: '',
  },
  { info: () => undefined, warning: () => undefined },
);
const wallMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ wallMs, size: layer.manifest.size, rssKiB: process.resourceUsage().maxRSS })}\n`,
);
