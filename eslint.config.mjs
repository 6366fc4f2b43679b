// ESLint for the project (`npm run lint`, run by .ci/run and CI): ESLint's recommended rules and
// typescript-eslint's type-aware ones. A rule turned off here says why; anything else it finds is fixed.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What Node gives every module; the scripts, benchmarks and the launcher use these. */
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'fetch', 'AbortSignal', 'setTimeout', 'clearTimeout', 'setImmediate', 'performance', 'structuredClone', 'TextDecoder', 'TextEncoder', 'require', '__dirname', '__filename', 'module'].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'templates/', 'releases/', 'test/fixtures/', '.tmp*', 'demo-service/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { project: './tsconfig.eslint.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      // The code keeps `!` on indexed reads (`list[0]!`) on purpose: it says "present here" where
      // noUncheckedIndexedAccess (off today) would ask, so the assertions are not noise to strip.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Values parsed from YAML are turned into message text with String(): a mapping where a scalar belongs
      // is reported by the schema checks, and the message only has to name it.
      '@typescript-eslint/no-base-to-string': 'off',
      // A TemplateSource's methods are async by contract; the folder and embedded sources need no await,
      // and `async` keeps their throws as rejections, as the git source's are.
      '@typescript-eslint/require-await': 'off',
      // `_name` marks a parameter an interface requires and this implementation does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The patterns that strip or escape control characters in output (JUnit XML, terminal text) have to
    // name them.
    rules: { 'no-control-regex': 'off' },
  },
  {
    // Tests match the CLI's aligned columns (`migrated  drop ...`) as they print: ` {2}` would hide that.
    files: ['test/**/*.ts'],
    rules: { 'no-regex-spaces': 'off' },
  },
  {
    // Tests read parsed YAML, JSON and tool output as plain values to assert on: `any` there is the point.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain Node scripts: not part of any TypeScript project, so no type-aware rules.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: nodeGlobals },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
);
