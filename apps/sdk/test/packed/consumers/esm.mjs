// An ES-module application: every public package through `import`.
import * as api_shapes from '@switchyard/api-shapes';
import * as core from '@switchyard/core';
import * as kvEvents from '@switchyard/kv-events';
import * as prompt_templates from '@switchyard/prompt-templates';
import * as provider_triton from '@switchyard/provider-triton';
import * as provider_vllm from '@switchyard/provider-vllm';
import * as proxy from '@switchyard/proxy';
import * as router from '@switchyard/router';
import * as sdk from '@switchyard/sdk';
import * as testing from '@switchyard/testing';
import { runChecks } from './run-checks.cjs';

const all = {
  '@switchyard/api-shapes': api_shapes,
  '@switchyard/core': core,
  '@switchyard/kv-events': kvEvents,
  '@switchyard/prompt-templates': prompt_templates,
  '@switchyard/provider-triton': provider_triton,
  '@switchyard/provider-vllm': provider_vllm,
  '@switchyard/proxy': proxy,
  '@switchyard/router': router,
  '@switchyard/sdk': sdk,
  '@switchyard/testing': testing,
};
const report = await runChecks({
  format: 'esm',
  modules: { all, testing, sdk, proxy, kvEvents },
  resolve: name => import.meta.resolve(name),
  baseDir: import.meta.dirname,
});
console.log(`REPORT ${JSON.stringify(report)}`);
