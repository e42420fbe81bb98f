// @ts-check
/**
 * Lint rules that keep the stage layout honest: no import cycles, a lower
 * stage never imports a higher one, and other stages are entered through
 * their index.ts. typescript-eslint's non-type-aware recommended rules run
 * too (the type-aware ones double the run time and tsc already checks types).
 */
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

/**
 * Stage levels, lowest first. A stage may import only stages on a lower
 * level; stages on one level do not import each other. util/ is level 0 and
 * imports nothing from the app. simulate (packet generator) sits beside
 * detect, pipeline (capture → decode → classify runner) beside store, the
 * collector (sensor uploads into ingest and store) beside analyse, accuracy
 * (simulate → ingest → analyse, compared with ground truth) beside report.
 */
const LEVELS = [
  ['util'],
  ['capture'],
  ['decode', 'sensor'],
  ['classify'],
  ['detect', 'simulate'],
  ['pipeline', 'store'],
  ['ingest'],
  ['analyse', 'collector'],
  ['report', 'accuracy'],
  ['serve'],
  ['cli'],
];
const STAGES = LEVELS.flat();

/** One zone per stage: every stage on its own level or above is out of bounds. */
const stageOrderZones = LEVELS.flatMap((level, rank) =>
  level.map((stage) => ({
    target: `./src/${stage}`,
    from: LEVELS.slice(rank)
      .flat()
      .filter((other) => other !== stage)
      .map((other) => `./src/${other}`),
    message: `${stage} is below these stages in capture < decode < classify < detect < store < ingest < analyse < report < serve < cli`,
  })),
).filter((zone) => zone.from.length > 0);

/** Another stage is entered through its index.ts (util/ is a set of leaves and has none). */
const indexEntryZones = STAGES.filter((stage) => stage !== 'util').map((stage) => ({
  target: STAGES.filter((other) => other !== stage).map((other) => `./src/${other}`),
  from: `./src/${stage}`,
  except: ['./index.ts'],
  message: `import ${stage} through src/${stage}/index.ts`,
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.scratch/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        // Sources import './x.js' and the file on disk is x.ts (NodeNext).
        createNodeResolver({ extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } }),
      ],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-unresolved': 'error',
      // A leading underscore names a parameter or element kept for its position.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Production code only: a test may drive a higher stage to build its input
    // (an analyse test ingests a capture first).
    files: ['src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testdata/**', 'src/**/test-kit.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: [...stageOrderZones, ...indexEntryZones] }],
    },
  },
);
