// Tests of the Terraform wiring, the package tool and the deploy helper; they live under tools/ beside the
// code they test and read the HCL under terraform/.
const path = require('node:path');
const preset = require('../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'terraform',
  rootDir: path.join(__dirname, '..'),
  roots: ['<rootDir>/tools/terraform', '<rootDir>/tools/package', '<rootDir>/tools/deploy'],
  testMatch: ['<rootDir>/tools/{terraform,package,deploy}/**/*.spec.ts'],
};
