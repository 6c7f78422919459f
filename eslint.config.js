import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Import boundaries (docs/architecture.md). A later block's no-restricted-imports replaces an earlier one's, so each
// block lists all of its own.
const EMULATORS = { group: ['**/emulators/**'], message: 'emulators/ is for tests and the demo only' };
const ACTIONS_CORE = { name: '@actions/core', message: 'only src/action/ imports @actions/core' };
const STAGES = {
  group: ['**/publish/**', '**/release/**', '**/rollout/**', '**/action/**'],
  message: 'settings/ parses inputs; the stages import it, not the other way round',
};
/** aws/ and record/ are shared below the stages: they import none of these (aws/ not record/ either). */
const ABOVE = ['settings', 'layer', 'artifact', 'publish', 'release', 'resolve', 'rollout', 'action'];
const SHARED = (own) => ({
  group: [...ABOVE, ...(own === 'aws' ? ['record'] : [])].map((d) => `**/${d}/**`),
  message: `${own}/ is shared by the stages above it and imports none of them`,
});
const RELEASE = { group: ['**/release/**'], message: 'publish/ does not import release/, its consumer' };

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [ACTIONS_CORE], patterns: [EMULATORS] }],
    },
  },
  { files: ['src/action/**'], rules: { 'no-restricted-imports': ['error', { patterns: [EMULATORS] }] } },
  // The producer does not import its consumer (docs/architecture.md).
  {
    files: ['src/publish/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [ACTIONS_CORE], patterns: [EMULATORS, RELEASE] }] },
  },
  // Settings are pure: they read the inputs, never the stages that use them.
  {
    files: ['src/settings/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [ACTIONS_CORE], patterns: [EMULATORS, STAGES] }] },
  },
  ...['aws', 'record'].map((own) => ({
    files: [`src/${own}/**`],
    rules: { 'no-restricted-imports': ['error', { paths: [ACTIONS_CORE], patterns: [EMULATORS, SHARED(own)] }] },
  })),
  {
    files: ['emulators/**', '__tests__/**', '__fixtures__/**', 'scripts/**', 'bench/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
