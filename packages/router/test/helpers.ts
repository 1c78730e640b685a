import { type CallContext, HttpClient, parseModel } from '@switchyard/core';
import { hostedVllmProvider } from '@switchyard/provider-vllm';
import {
  startVllmEmulator,
  type VllmEmulator,
  type VllmEmulatorOptions,
} from '@switchyard/testing';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { DeploymentConfig, Invoke } from '../src/index';

/** One pooled client for every test call, as the SDK will hold one. */
export const http = new HttpClient();

/** What the SDK will pass as `invoke`: one provider call on one deployment. */
export const vllmInvoke: Invoke = ({ deployment, operation, request, signal, timeoutMs }) => {
  const op = hostedVllmProvider[operation] as
    | ((req: unknown, ctx: CallContext) => Promise<never>)
    | undefined;
  if (op === undefined) throw new Error(`hosted_vllm has no ${operation}`);
  return op(request, {
    model: parseModel(deployment.model).model,
    apiBase: deployment.apiBase,
    apiKey: deployment.apiKey,
    options: {},
    http,
    signal,
    timeoutMs,
  });
};

/** Starts `count` vLLM emulators serving the default model. */
export async function startEmulators(
  count: number,
  options: VllmEmulatorOptions = {},
): Promise<VllmEmulator[]> {
  return Promise.all(Array.from({ length: count }, () => startVllmEmulator(options)));
}

/**
 * Starts `count` emulators before the file's tests, closes them after, and
 * clears their faults and request logs between tests. Returns the array
 * (filled once the emulators are up).
 */
export function useEmulators(count: number, options: VllmEmulatorOptions = {}): VllmEmulator[] {
  const emus: VllmEmulator[] = [];
  beforeAll(async () => {
    emus.push(...(await startEmulators(count, options)));
  });
  afterAll(async () => {
    await Promise.all(emus.map(e => e.close()));
  });
  afterEach(() => {
    for (const e of emus) {
      e.clearFaults();
      e.requests.clear();
    }
  });
  return emus;
}

/** A `model_list` entry for an emulator; `id` makes assertions readable. */
export function deploymentFor(
  emulator: VllmEmulator,
  modelName: string,
  id: string,
  extra: Record<string, unknown> = {},
  info: Record<string, unknown> = {},
): DeploymentConfig {
  return {
    model_name: modelName,
    litellm_params: {
      model: `hosted_vllm/${emulator.model}`,
      api_base: `${emulator.url}/v1`,
      ...extra,
    },
    model_info: { id, ...info },
  };
}

/** Chat completion calls an emulator received. */
export function chatCalls(emulator: VllmEmulator): number {
  return emulator.requests.entries.filter(e => e.path === '/v1/chat/completions').length;
}

export const hello = (model: string) => ({
  model,
  messages: [{ role: 'user' as const, content: 'hello' }],
  max_tokens: 4,
});
