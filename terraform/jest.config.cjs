// Tests of the Terraform under terraform/: the modules' conventions and the wiring against the pipeline contract.
module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'terraform',
};
