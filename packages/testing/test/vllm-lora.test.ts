/**
 * The vLLM emulator's LoRA adapters: served as model names of their own,
 * listed with their parent, loaded and unloaded at run time only when
 * runtime updating is allowed (vLLM's status codes and bodies), and their
 * prefix-cache blocks published with `lora_id` and `lora_name`, apart from
 * the base model's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startVllmEmulator, type VllmEmulator, type VllmEmulatorOptions } from '../src/index';
import { followKvEvents } from './kv-events-helpers';

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function start(options: VllmEmulatorOptions): Promise<VllmEmulator> {
  const emu = await startVllmEmulator({ model: 'meta-llama/Llama-3.1-8B-Instruct', ...options });
  open.push(emu);
  return emu;
}

async function post(emu: VllmEmulator, path: string, body: unknown) {
  const res = await fetch(`${emu.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), text };
}

async function models(emu: VllmEmulator) {
  const res = await fetch(`${emu.url}/v1/models`);
  const body = (await res.json()) as {
    data: { id: string; root: string; parent: string | null; max_model_len: number | null }[];
  };
  return body.data.map(({ id, root, parent, max_model_len }) => ({
    id,
    root,
    parent,
    max_model_len,
  }));
}

const chat = (model: string) => ({
  model,
  messages: [{ role: 'user', content: 'write one sql query that counts the rows of a table' }],
  max_tokens: 4,
});

describe('vLLM emulator LoRA adapters', () => {
  it('serves adapters given at start as models with their parent, and 404s an unknown one', async () => {
    const emu = await start({ lora: { modules: [{ name: 'sql-lora', path: '/adapters/sql' }] } });
    expect(await models(emu)).toEqual([
      {
        id: 'meta-llama/Llama-3.1-8B-Instruct',
        root: 'meta-llama/Llama-3.1-8B-Instruct',
        parent: null,
        max_model_len: 2048,
      },
      {
        id: 'sql-lora',
        root: '/adapters/sql',
        parent: 'meta-llama/Llama-3.1-8B-Instruct',
        max_model_len: null,
      },
    ]);
    const ok = await post(emu, '/v1/chat/completions', chat('sql-lora'));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text).model).toBe('sql-lora');
    const missing = await post(emu, '/v1/chat/completions', chat('poem-lora'));
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).error).toEqual({
      message: 'The model `poem-lora` does not exist.',
      type: 'NotFoundError',
      param: 'model',
      code: 404,
    });
  });

  it('has no runtime load routes unless runtime updating is allowed (FastAPI 404)', async () => {
    const emu = await start({});
    const res = await post(emu, '/v1/load_lora_adapter', { lora_name: 'a', lora_path: '/a' });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toEqual({ detail: 'Not Found' });
    expect(await models(emu)).toHaveLength(1);
  });

  it("loads and unloads at run time with vLLM's plain-text answers and error bodies", async () => {
    const emu = await start({
      lora: { allowRuntimeUpdating: true, availablePaths: ['/adapters/sql'] },
    });
    const loaded = await post(emu, '/v1/load_lora_adapter', {
      lora_name: 'sql-lora',
      lora_path: '/adapters/sql',
    });
    expect(loaded).toEqual({
      status: 200,
      type: null,
      text: "Success: LoRA adapter 'sql-lora' added successfully.",
    });
    expect((await models(emu)).map(m => m.id)).toContain('sql-lora');
    expect((await post(emu, '/v1/chat/completions', chat('sql-lora'))).status).toBe(200);

    const again = await post(emu, '/v1/load_lora_adapter', {
      lora_name: 'sql-lora',
      lora_path: '/adapters/sql',
    });
    expect(again.status).toBe(400);
    expect(JSON.parse(again.text).error).toMatchObject({
      type: 'InvalidUserInput',
      message: expect.stringContaining("The lora adapter 'sql-lora' has already been loaded."),
      code: 400,
    });
    const empty = await post(emu, '/v1/load_lora_adapter', { lora_name: '', lora_path: '/x' });
    expect(JSON.parse(empty.text).error.message).toBe(
      "Both 'lora_name' and 'lora_path' must be provided.",
    );
    const missingField = await post(emu, '/v1/load_lora_adapter', { lora_name: 'x' });
    expect(missingField.status).toBe(400);
    expect(JSON.parse(missingField.text).error.message).toContain("'loc': 'body.lora_path'");
    const notFound = await post(emu, '/v1/load_lora_adapter', {
      lora_name: 'poem-lora',
      lora_path: '/adapters/poem',
    });
    expect(notFound.status).toBe(404);
    expect(JSON.parse(notFound.text).error).toMatchObject({
      type: 'NotFoundError',
      message: 'Loading lora poem-lora failed: No adapter found for /adapters/poem',
    });

    const unloaded = await post(emu, '/v1/unload_lora_adapter', { lora_name: 'sql-lora' });
    expect(unloaded.text).toBe("Success: LoRA adapter 'sql-lora' removed successfully.");
    expect((await post(emu, '/v1/chat/completions', chat('sql-lora'))).status).toBe(404);
    const gone = await post(emu, '/v1/unload_lora_adapter', { lora_name: 'sql-lora' });
    expect(gone.status).toBe(404);
    expect(JSON.parse(gone.text).error.message).toBe(
      "The lora adapter 'sql-lora' cannot be found.",
    );
  });

  it('keeps adapter blocks apart from the base model and publishes lora_id and lora_name', async () => {
    const emu = await start({
      prefixCache: { blocks: 64, blockSize: 4 },
      kvEvents: true,
      enablePromptTokensDetails: true,
      lora: {
        modules: [
          { name: 'sql-lora', path: '/adapters/sql' },
          { name: 'poem-lora', path: '/adapters/poem' },
        ],
      },
    });
    const { events, until } = followKvEvents(emu, sub => open.push(sub));
    const cached = async (model: string) => {
      const res = await post(emu, '/v1/chat/completions', chat(model));
      return JSON.parse(res.text).usage.prompt_tokens_details.cached_tokens as number;
    };
    expect(await cached('meta-llama/Llama-3.1-8B-Instruct')).toBe(0);
    // Same prompt under an adapter: none of the base model's blocks apply.
    expect(await cached('poem-lora')).toBe(0);
    expect(await cached('poem-lora')).toBeGreaterThan(0);
    const stored = () =>
      events.flatMap(e => (e.type === 'BlockStored' && e.parentBlockHash === null ? [e] : []));
    await until(() => stored().some(e => e.loraName !== null));
    const base = stored().find(e => e.loraName === null)!;
    const adapter = stored().find(e => e.loraName !== null)!;
    expect(base.loraId).toBeNull();
    // Ids follow load order from 1: poem-lora was the second module.
    expect([adapter.loraId, adapter.loraName]).toEqual([2, 'poem-lora']);
    expect(adapter.tokenIds).toEqual(base.tokenIds);
    expect(adapter.blockHashes.some(h => base.blockHashes.includes(h))).toBe(false);
  });
});
