/**
 * The result record and the version marker, in one place for every command that writes or reads them: publish
 * (writes), report (merges the legs'), resolve (reads markers and records), rollout (reads them). The release notes'
 * markdown, the GitHub writer and the matrix legs stay in src/release/.
 */
export * from './record.js';
export * from './json.js';
export * from './merge.js';
export * from './marker.js';
export * from './outputs.js';
export * from './validate.js';
