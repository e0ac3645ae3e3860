import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Three tiers, all run by `npm test`:
 * - unit: pure functions over typed data, seconds in all (`npm run test:unit`): every src/**\/*.test.ts (unit tests
 *   live next to the code) and the pure suites in test/ listed below;
 * - e2e: the real `callqa` in a child process (`npm run test:e2e`): test/**\/*-cli.test.ts, *-e2e.test.ts and the
 *   queue fault tests with real worker processes;
 * - integration: every other test/**\/*.test.ts (real ffmpeg, PGlite, PostgreSQL, Redis, whisper-cli)
 *   (`npm run test:integration`). A new file in test/ lands here unless named or listed otherwise.
 */
const UNIT_IN_TEST = [
  'test/lexicon-loader.test.ts',
  'test/lexicon-matcher.test.ts',
  'test/lexicon-parity.test.ts',
  'test/metadata.test.ts',
  'test/pipelines.test.ts',
  'test/score-rules.test.ts',
  'test/score-scorecard.test.ts',
  'test/score-stage.test.ts',
  'test/sidecar.test.ts',
  'test/text-detect.test.ts',
  'test/text-detect-dialogues.test.ts',
  'test/text-detect-blind.test.ts',
  'test/text-detect-blind2.test.ts',
  'test/text-detect-blind3.test.ts',
  'test/text-detect-blind4.test.ts',
  'test/text-detect-blind5.test.ts',
  'test/text-detect-blind6.test.ts',
  'test/text-detect-blind7.test.ts',
  'test/text-detect-blind8.test.ts',
  'test/text-detect-blind9.test.ts',
  'test/text-detect-blind10.test.ts',
  'test/text-detect-blind11.test.ts',
  'test/text-detect-blind12.test.ts',
  'test/text-detect-blind13.test.ts',
  'test/text-detect-blind14.test.ts',
  'test/text-detect-blind15.test.ts',
  'test/text-detect-blind16.test.ts',
  'test/text-detect-blind17.test.ts',
  'test/text-detect-blind18.test.ts',
  'test/text-detect-blind19.test.ts',
  'test/text-detect-blind20.test.ts',
  'test/text-detect-blind21.test.ts',
  'test/text-detect-blind22.test.ts',
  'test/text-detect-blind23.test.ts',
  'test/text-detect-blind24.test.ts',
  'test/text-detect-blind25.test.ts',
  'test/text-detect-blind26.test.ts',
  'test/text-detect-blind27.test.ts',
  'test/text-detect-blind28.test.ts',
  'test/text-detect-blind29.test.ts',
  'test/text-detect-blind30.test.ts',
  'test/text-detect-blind31.test.ts',
  'test/text-detect-blind32.test.ts',
  'test/text-detect-blind33.test.ts',
  'test/text-detect-blind34.test.ts',
  'test/text-detect-blind35.test.ts',
  'test/text-detect-blind36.test.ts',
  'test/text-detect-blind37.test.ts',
  'test/text-detect-blind38.test.ts',
  'test/text-detect-blind39.test.ts',
  'test/text-detect-blind40.test.ts',
  'test/text-detect-blind41.test.ts',
  'test/text-detect-blind42.test.ts',
  'test/text-detect-blind43.test.ts',
  'test/text-detect-blind44.test.ts',
  'test/text-detect-blind45.test.ts',
  'test/text-detect-blind46.test.ts',
  'test/text-detect-blind47.test.ts',
  'test/text-detect-blind48.test.ts',
  'test/text-detect-blind49.test.ts',
  'test/text-detect-blind50.test.ts',
  'test/text-detect-blind51.test.ts',
  'test/text-detect-blind52.test.ts',
  'test/text-detect-blind53.test.ts',
  'test/text-detect-blind54.test.ts',
  'test/text-detect-blind55.test.ts',
  'test/text-detect-blind56.test.ts',
  'test/text-detect-blind57.test.ts',
  'test/text-detect-blind58.test.ts',
  'test/text-detect-blind59.test.ts',
  'test/text-detect-blind60.test.ts',
  'test/text-detect-blind61.test.ts',
  'test/text-detect-blind62.test.ts',
  'test/text-detect-blind63.test.ts',
  'test/text-detect-blind64.test.ts',
  'test/text-detect-blind65.test.ts',
  'test/text-detect-blind66.test.ts',
  'test/text-detect-blind67.test.ts',
  'test/text-detect-blind68.test.ts',
  'test/text-detect-phrasing.test.ts',
  'test/banned-model.test.ts',
  'test/privacy-blind.test.ts',
];
const E2E = ['test/**/*-cli.test.ts', 'test/**/*-e2e.test.ts', 'test/queue-faults.test.ts'];

export default defineConfig({
  test: {
    // no top-level include: `extends: true` would concatenate it into every project's
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Audio tests spawn ffmpeg/sox; two cores on the reference machine.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', ...UNIT_IN_TEST] } },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...UNIT_IN_TEST, ...E2E] } },
      // a test here runs the CLI from source in child processes, several times: minutes when the machine is busy
      { extends: true, test: { name: 'e2e', include: E2E, testTimeout: 300_000 } },
    ],
  },
});
