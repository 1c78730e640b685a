import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VllmEmulator } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Router } from '../src/index';
import { deploymentFor, hello, startEmulators, vllmInvoke } from './helpers';

// A loopback upstream whose answers are cut by a content filter (the emulator never does that).
let filtered: Server;
let filteredUrl: string;
let emus: VllmEmulator[];

beforeAll(async () => {
  emus = await startEmulators(1);
  filtered = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 1_700_000_000,
          model: 'filtered',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: '' },
              finish_reason: 'content_filter',
            },
          ],
          usage: { prompt_tokens: 3, completion_tokens: 0, total_tokens: 3 },
        }),
      );
    });
  });
  await new Promise<void>(resolve => filtered.listen(0, '127.0.0.1', resolve));
  filteredUrl = `http://127.0.0.1:${(filtered.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  await Promise.all(emus.map(e => e.close()));
  await new Promise(resolve => filtered.close(resolve));
});

function router(extra: Record<string, unknown>) {
  return new Router({
    model_list: [
      {
        model_name: 'strict',
        litellm_params: { model: 'hosted_vllm/filtered', api_base: filteredUrl },
        model_info: { id: 'strict0' },
      },
      deploymentFor(emus[0]!, 'lenient', 'lenient0'),
    ],
    invoke: vllmInvoke,
    ...extra,
  });
}

describe('finish_reason "content_filter"', () => {
  it('becomes a content-policy failure when a content-policy fallback exists', async () => {
    const res = await router({ content_policy_fallbacks: [{ strict: ['lenient'] }] }).completion(
      hello('strict'),
    );
    expect(res.routing.modelGroup).toBe('lenient');
    expect(res.routing.attempts[0]?.error?.name).toBe('ContentPolicyViolationError');
    expect(res.data.choices[0]?.finish_reason).not.toBe('content_filter');
  });

  it('is returned as is when there is nowhere to fall back to', async () => {
    const res = await router({}).completion(hello('strict'));
    expect(res.routing.modelGroup).toBe('strict');
    expect(res.data.choices[0]?.finish_reason).toBe('content_filter');
  });
});
