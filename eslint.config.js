import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Folders of src/ from the bottom up: a folder may import only from folders of a lower rank
 * (and from itself). Entry points share a rank, so none imports another's wiring.
 */
const LAYERS = [
  ['base'],
  ['render', 'sources', 'events', 'routing'],
  ['channels'],
  ['retry'],
  ['pipeline'],
  ['handler', 'worker', 'connection-events', 'actions'],
  ['local'],
  ['cli'],
];

const layering = LAYERS.flatMap((folders, rank) =>
  folders.flatMap((folder) => {
    const forbidden = LAYERS.slice(rank).flat().filter((other) => other !== folder);
    if (forbidden.length === 0) return [];
    return {
      files: [`src/${folder}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                group: forbidden.flatMap((other) => [`../${other}/**`, `../../${other}/**`]),
                message: `src/${folder} may import only from lower layers (${LAYERS.slice(0, rank).flat().join(', ') || 'none'}); see LAYERS in eslint.config.js.`,
              },
            ],
          },
        ],
      },
    };
  }),
);

export default tseslint.config(
  { ignores: ['dist/', 'cdk.out/', 'cdk.out.full/', 'node_modules/', 'coverage/', 'src/render/precompiled-templates.gen.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', performance: 'readonly', console: 'readonly', setTimeout: 'readonly' } },
  },
  {
    rules: {
      'no-control-regex': 'off', // stripping control characters is the point of several regexes
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Configuration is read once, at the edges (each function's index.ts); nothing deeper reads process.env.
    files: ['src/**/*.ts'],
    ignores: ['src/*/index.ts', 'src/local/**', 'src/cli/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration in src/base/config.ts, from the entry point.' }],
    },
  },
  ...layering,
);
