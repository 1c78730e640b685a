/**
 * Prompt → KV block names, without tokenizing on a request's path.
 *
 * Token ids come from the engine itself: vLLM's `POST /tokenize` renders
 * chat messages with the model's own template and tokenizer, so the ids
 * are exactly those its prefix cache hashes (no local tokenizer to keep in
 * step with the served model). That call happens after the routing
 * decision, in the background, for the conversation so far (its messages
 * without the generation prompt) and for its first message alone (often a
 * system prompt shared by many users); the block names are cached under a
 * hash of the message prefix. A later request finds the longest message
 * prefix already named — the earlier turns, the shared system prompt —
 * and is scored on those blocks. Blocks of what is new in a request cannot
 * be cached anywhere yet, so they are not needed to choose.
 *
 * This relies on the chat template rendering a prefix of the messages as a
 * prefix of the whole (true of the common templates). Text completions are
 * named for their exact prompt only.
 */
import { createHash } from 'node:crypto';
import { HttpClient } from '@switchyard/core';
import { adapterRoot, chainBlocks } from './block-chain';

/** Where a model group's prompts are tokenized. */
export interface TokenizeTarget {
  /** The engine's `/tokenize` URL. */
  url: string;
  /** The served model name. */
  model: string;
  apiKey: string | undefined;
}

/** Where and how {@link PromptBlocks.learn} names a request's blocks. */
export interface LearnTarget {
  engine: TokenizeTarget;
  blockSize: number;
  /** The LoRA adapter the request runs under, if any. */
  adapter?: string | undefined;
}

/** Options of {@link PromptBlocks}. */
export interface PromptBlocksOptions {
  /** Message prefixes whose block names are remembered (LRU). */
  maxEntries: number;
  /** Background `/tokenize` calls at once; more are skipped (the next turn catches up). */
  maxInFlight: number;
  timeoutMs: number;
}

interface Entry {
  names: number[];
  blockSize: number;
}

/**
 * Keys of a request's message prefixes (index j: messages[0..j]), or of
 * its prompt. A native running hash (SHA-1, copied at each message
 * boundary) keeps this at tens of microseconds for an 8,000-token
 * conversation; the key is the digest's first 52 bits. Under a LoRA
 * adapter the same messages have other blocks, so the adapter's name is
 * hashed in first.
 */
export function prefixKeys(request: unknown, adapter?: string): number[] {
  const body = request as { messages?: unknown; prompt?: unknown } | null;
  if (body && Array.isArray(body.messages)) {
    const hash = createHash('sha1');
    if (adapter !== undefined) hash.update(`\u001dlora\u001f${adapter}`);
    return body.messages.map(message => {
      const m = message as { role?: unknown; content?: unknown } | null;
      const content =
        typeof m?.content === 'string' ? m.content : JSON.stringify(m?.content ?? null);
      hash.update(`\u001e${String(m?.role)}\u001f`).update(content);
      const { content: _content, role: _role, ...rest } = (m ?? {}) as Record<string, unknown>;
      if (Object.keys(rest).length > 0) hash.update(JSON.stringify(rest));
      return keyOf(hash.copy().digest());
    });
  }
  if (body && typeof body.prompt === 'string') {
    const hash = createHash('sha1');
    if (adapter !== undefined) hash.update(`\u001dlora\u001f${adapter}`);
    return [keyOf(hash.update(body.prompt).digest())];
  }
  return [];
}

function keyOf(digest: Buffer): number {
  return digest.readUIntBE(0, 6) * 16 + (digest[6]! >> 4);
}

/** The per-model-group cache of block names and the background tokenizer that fills it. */
export class PromptBlocks {
  readonly #entries = new Map<number, Entry>();
  readonly #pending = new Set<number>();
  readonly #options: PromptBlocksOptions;
  readonly #http: HttpClient;
  /** Background tokenizations that failed (engine unreachable, refused). */
  failures = 0;

  constructor(options: PromptBlocksOptions) {
    this.#options = options;
    this.#http = new HttpClient({
      connectTimeoutMs: options.timeoutMs,
      headersTimeoutMs: options.timeoutMs,
      bodyTimeoutMs: options.timeoutMs,
      maxResponseBytes: 64 * 1024 * 1024,
    });
  }

  /**
   * Block names of the longest known prefix of the request, and which
   * prefix that is (`at` -1 and no names when none is known).
   */
  lookup(keys: readonly number[], blockSize: number): { names: number[]; at: number } {
    for (let j = keys.length - 1; j >= 0; j--) {
      const entry = this.#entries.get(keys[j]!);
      if (entry === undefined || entry.blockSize !== blockSize) continue;
      // Refresh recency: a conversation in use stays cached.
      this.#entries.delete(keys[j]!);
      this.#entries.set(keys[j]!, entry);
      return { names: entry.names, at: j };
    }
    return { names: [], at: -1 };
  }

  /**
   * Starts naming what the request showed that is not cached yet: the whole
   * conversation, and its first message alone. Never awaited by routing.
   * `keys` come from {@link prefixKeys} with the same `adapter`.
   */
  learn(request: unknown, keys: readonly number[], target: LearnTarget): void {
    const body = request as { messages?: unknown[]; prompt?: string };
    const last = keys.length - 1;
    if (last < 0) return;
    if (Array.isArray(body.messages)) {
      this.#tokenize(keys[last]!, target, { messages: body.messages });
      if (last > 0) this.#tokenize(keys[0]!, target, { messages: body.messages.slice(0, 1) });
    } else if (typeof body.prompt === 'string') {
      this.#tokenize(keys[0]!, target, { prompt: body.prompt });
    }
  }

  /** Waits for the background tokenizations under way (tests, benchmarks). */
  async settle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  readonly #inflight = new Set<Promise<void>>();

  #tokenize(key: number, target: LearnTarget, input: object): void {
    const { blockSize, adapter } = target;
    if (this.#entries.get(key)?.blockSize === blockSize || this.#pending.has(key)) return;
    if (this.#pending.size >= this.#options.maxInFlight) return;
    this.#pending.add(key);
    // Under an adapter the engine tokenizes with the adapter's model name, and its blocks chain from the adapter's root.
    const engine = adapter === undefined ? target.engine : { ...target.engine, model: adapter };
    const job = this.#call(engine, input)
      .then(tokens => {
        const names = chainBlocks(tokens, blockSize, adapterRoot(adapter ?? null));
        this.#entries.set(key, { names, blockSize });
        while (this.#entries.size > this.#options.maxEntries) {
          this.#entries.delete(this.#entries.keys().next().value!);
        }
      })
      .catch(() => {
        this.failures++;
      })
      .finally(() => {
        this.#pending.delete(key);
        this.#inflight.delete(job);
      });
    this.#inflight.add(job);
  }

  async #call(target: TokenizeTarget, input: object): Promise<number[]> {
    const { data } = await this.#http.json<{ tokens?: unknown }>({
      url: target.url,
      json: { model: target.model, add_generation_prompt: false, ...input },
      headers: target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {},
      timeoutMs: this.#options.timeoutMs,
    });
    if (!Array.isArray(data.tokens)) throw new Error('no tokens in the /tokenize answer');
    return data.tokens as number[];
  }

  async close(): Promise<void> {
    await this.#http.close();
  }
}
