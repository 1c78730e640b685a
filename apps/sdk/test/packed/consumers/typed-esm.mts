// A TypeScript ES module (`.mts`) under module/moduleResolution node16: the
// packages' `import` condition and its `.d.ts` types.
import { chatToAnthropicMessage } from '@switchyard/api-shapes';
import { type ChatCompletion, NotFoundError } from '@switchyard/core';
import { decodeEventBatch, type KvEventBatch } from '@switchyard/kv-events';
import { PromptTemplateRegistry } from '@switchyard/prompt-templates';
import { createTritonProvider } from '@switchyard/provider-triton';
import { createVllmProvider } from '@switchyard/provider-vllm';
import type { RunningProxy, startProxy } from '@switchyard/proxy';
import { MemoryRouterState } from '@switchyard/router';
import { BadRequestError, completion } from '@switchyard/sdk';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';

export async function ask(emulator: VllmEmulator): Promise<string | null | undefined> {
  try {
    const answer: ChatCompletion = await completion({
      model: `hosted_vllm/${emulator.model}`,
      messages: [{ role: 'user', content: 'Hello' }],
      api_base: emulator.url,
    });
    return answer.choices[0]?.message.content;
  } catch (error) {
    // The predicates narrow: `status` is known on the error after them.
    if (BadRequestError.isInstance(error) || NotFoundError.isInstance(error)) {
      return `${error.status}`;
    }
    throw error;
  }
}

// The types are real, not `any`: a wrong field is an error.
// @ts-expect-error `model` is a string
void completion({ model: 42, messages: [] });

export const used = [
  chatToAnthropicMessage,
  decodeEventBatch,
  PromptTemplateRegistry,
  createTritonProvider,
  createVllmProvider,
  MemoryRouterState,
  startVllmEmulator,
] as const;
export type Used = [KvEventBatch, RunningProxy, typeof startProxy];
