// A CommonJS application: every public package through `require`.
const { runChecks } = require('./run-checks.cjs');

const names = [
  '@switchyard/api-shapes',
  '@switchyard/core',
  '@switchyard/kv-events',
  '@switchyard/prompt-templates',
  '@switchyard/provider-triton',
  '@switchyard/provider-vllm',
  '@switchyard/proxy',
  '@switchyard/router',
  '@switchyard/sdk',
  '@switchyard/testing',
];
const all = Object.fromEntries(names.map(name => [name, require(name)]));

runChecks({
  format: 'cjs',
  modules: {
    all,
    testing: all['@switchyard/testing'],
    sdk: all['@switchyard/sdk'],
    proxy: all['@switchyard/proxy'],
    kvEvents: all['@switchyard/kv-events'],
  },
  resolve: name => require.resolve(name),
  baseDir: __dirname,
}).then(
  report => console.log(`REPORT ${JSON.stringify(report)}`),
  error => {
    console.error(error);
    process.exitCode = 1;
  },
);
