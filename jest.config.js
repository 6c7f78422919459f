/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  preset: 'ts-jest/presets/default-esm',
  extensionsToTreatAsEsm: ['.ts'],
  resolver: 'ts-jest-resolver',
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }],
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 60000,
  // Three workers on two cores: many suites wait (on retries' back-off, on processes they started), and a third
  // worker runs meanwhile. The slowest suites start first (jest.sequencer.js).
  maxWorkers: 3,
  testSequencer: '<rootDir>/jest.sequencer.js',
  verbose: false,
};
