// npm run generate: writes action.yml and the README reference block from the sub-actions' action.yml files.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT, generatedReadme, generatedRootYaml } from './action-metadata.js';

await writeFile(path.join(ROOT, 'action.yml'), await generatedRootYaml());
const readmePath = path.join(ROOT, 'README.md');
await writeFile(readmePath, await generatedReadme(await readFile(readmePath, 'utf8')));
process.stdout.write('wrote action.yml and the README reference block\n');
