import { createRequire } from 'node:module';

type Jinja = typeof import('@huggingface/jinja');

const require = createRequire(import.meta.url);
let jinja: Jinja | undefined;

/**
 * `@huggingface/jinja`, loaded when the first chat template is parsed or
 * rendered. Importing this package (the SDK and the proxy do, for every
 * vLLM deployment) then costs no Jinja engine: about 115 KB of source and
 * its module state, which only Triton deployments and `hf_chat_template`
 * prompts ever use.
 */
export function loadJinja(): Jinja {
  jinja ??= require('@huggingface/jinja') as Jinja;
  return jinja;
}
