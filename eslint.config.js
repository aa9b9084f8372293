import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'coverage/', 'node_modules/', 'fixtures/', 'test/hostile/out/', 'bench/out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      'no-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The one CommonJS file: it loads web-tree-sitter's CommonJS build (see src/parsers/tree-sitter-runtime.cjs).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/core/**', 'src/parsers/**', 'src/rules/**', 'src/reporters/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@actions/*'], message: 'Only src/action/ may import @actions/*.' }] }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only src/action/ and the CLI read the environment.' }],
    },
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../parsers/*', '../rules/*', '../action/*', '../reporters/*', '@actions/*'], message: 'core/ is format-agnostic.' }] }],
    },
  },
);
