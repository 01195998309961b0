import base from '../eslint.config.mjs';

export default [
  ...base,
  // A project of its own.
  { ignores: ['workspace-plugin/**'] },
  // Tools drive the pipeline with the fixture generator.
  { rules: { 'no-restricted-imports': 'off' } },
];
