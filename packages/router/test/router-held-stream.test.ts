import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startVllmEmulator } from '@switchyard/testing';
import { expect, it } from 'vitest';
import { Router } from '../src/index';
import { deploymentFor, vllmInvoke } from './helpers';

/** A full garbage collection (the flag is set only for the moment the function is made). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  gc();
}

it('a held stream under a timeout does not keep its request (the prompt) alive', async () => {
  const emu = await startVllmEmulator({ tokensPerSecond: 5 });
  try {
    const router = new Router({
      model_list: [deploymentFor(emu, 'p', 'p0')],
      invoke: vllmInvoke,
      timeout: 60,
    });
    const controller = new AbortController();
    let messages: { role: 'user'; content: string }[] | undefined = [
      { role: 'user', content: 'a long conversation' },
    ];
    const prompt = new WeakRef(messages);
    const res = await router.completionStream(
      { model: 'p', messages, max_tokens: 200, stream: true },
      { signal: controller.signal },
    );
    messages = undefined;
    const iterator = res.stream[Symbol.asyncIterator]();
    await iterator.next();
    // A WeakRef's target lives until the end of the job that made or read it.
    await new Promise(resolve => setImmediate(resolve));
    collectGarbage();
    expect(prompt.deref()).toBeUndefined();
    // The caller's signal still cancels the held stream.
    controller.abort(new Error('caller left'));
    const drained = (async () => {
      for (;;) if ((await iterator.next()).done) return;
    })();
    await expect(drained).rejects.toThrow('caller left');
    await emu.requests.waitFor(e => e.aborted);
  } finally {
    await emu.close();
  }
});
