// esbuild options of the Lambda bundles: the `esbuildConfig` of each app's build target (`nx run <app>:build`).
//
// The target is the Lambda runtime's Node major from `.nvmrc`. The Nx executor passes its own `target` option
// (default `esnext`) over a config file's, so a plugin sets it in the build's initial options, which esbuild lets
// a plugin's `setup` change before the build starts.
const { readNodeRuntime } = require('./nodeRuntime.cjs');

/** Sets the build's target to the Lambda runtime's Node major. */
const lambdaNodeTarget = {
  name: 'lambda-node-target',
  setup(build) {
    build.initialOptions.target = readNodeRuntime().esbuildTarget;
  },
};

module.exports = {
  legalComments: 'none',
  mainFields: ['module', 'main'],
  outExtension: { '.js': '.js' },
  plugins: [lambdaNodeTarget],
};
