import { digest, type HashState, mixCode, newHashState } from './hashing';

/** How a request's prompt is cut into chunks. */
export interface ChunkOptions {
  /** Characters per chunk (about a quarter as many tokens). */
  chunkSize: number;
  /** Chunks hashed at most; longer prompts are matched on their first `maxChunks`. */
  maxChunks: number;
}

/**
 * The chained hashes of a request's prompt, one per full chunk: entry `i`
 * identifies the whole prompt up to the end of chunk `i` (the prompt's
 * model group included), as an engine's prefix cache identifies its KV
 * blocks. The prompt is the chat messages in order (role, name, text,
 * tool calls) or a text completion's `prompt`. No string is built: the
 * characters are fed to one running hash and its digest is taken at each
 * chunk boundary, so a long prompt costs one pass over its characters.
 * A trailing partial chunk is left out, as engines cache only full blocks.
 */
export function prefixHashes(request: unknown, group: string, options: ChunkOptions): number[] {
  const out: number[] = [];
  if (typeof request !== 'object' || request === null) return out;
  const r = request as { messages?: unknown; prompt?: unknown };
  const feeder = new ChunkFeeder(out, options);
  feeder.text(group);
  feeder.code(0);
  if (Array.isArray(r.messages)) {
    for (const m of r.messages) {
      if (feeder.full) break;
      if (typeof m !== 'object' || m === null) continue;
      const message = m as {
        role?: unknown;
        name?: unknown;
        content?: unknown;
        tool_calls?: unknown;
      };
      if (typeof message.role === 'string') feeder.text(message.role);
      feeder.code(1);
      if (typeof message.name === 'string') feeder.text(message.name);
      feeder.code(2);
      feedContent(feeder, message.content);
      if (Array.isArray(message.tool_calls)) feeder.text(JSON.stringify(message.tool_calls));
      feeder.code(3);
    }
  } else if (typeof r.prompt === 'string') {
    feeder.text(r.prompt);
  } else if (Array.isArray(r.prompt) && r.prompt.length > 0 && typeof r.prompt[0] === 'string') {
    // A batch of prompts: the first one decides where the batch goes.
    feeder.text(r.prompt[0]);
  }
  return out;
}

function feedContent(feeder: ChunkFeeder, content: unknown): void {
  if (typeof content === 'string') {
    feeder.text(content);
    return;
  }
  if (!Array.isArray(content)) return;
  for (const part of content) {
    if (typeof part !== 'object' || part === null) continue;
    const p = part as { type?: unknown; text?: unknown; image_url?: { url?: unknown } };
    if (typeof p.text === 'string') feeder.text(p.text);
    else if (typeof p.image_url?.url === 'string') feeder.text(p.image_url.url);
    feeder.code(4);
  }
}

/** Feeds characters into one running hash, recording its digest at each chunk boundary. */
class ChunkFeeder {
  readonly #out: number[];
  readonly #size: number;
  readonly #max: number;
  readonly #state: HashState = newHashState();
  #count = 0;

  constructor(out: number[], options: ChunkOptions) {
    this.#out = out;
    this.#size = options.chunkSize;
    this.#max = options.maxChunks;
  }

  get full(): boolean {
    return this.#out.length >= this.#max;
  }

  text(value: string): void {
    // The hot path of a long prompt: the lanes and limits live in locals for the loop.
    const state = this.#state;
    const out = this.#out;
    const size = this.#size;
    const max = this.#max;
    let h1 = state.h1;
    let h2 = state.h2;
    let count = this.#count;
    const length = value.length;
    // Two UTF-16 units per step (one 32-bit word): half the multiplications.
    for (let i = 0; i < length; i += 2) {
      const code =
        i + 1 < length
          ? value.charCodeAt(i) | (value.charCodeAt(i + 1) << 16)
          : value.charCodeAt(i);
      h1 = Math.imul(h1 ^ code, 2654435761);
      h2 = Math.imul(h2 ^ code, 1597334677);
      count += 2;
      if (count >= size) {
        count = 0;
        state.h1 = h1;
        state.h2 = h2;
        out.push(digest(state));
        if (out.length >= max) break;
      }
    }
    state.h1 = h1;
    state.h2 = h2;
    this.#count = count;
  }

  code(value: number): void {
    if (this.full) return;
    mixCode(this.#state, value);
    if (++this.#count >= this.#size) {
      this.#count = 0;
      this.#out.push(digest(this.#state));
    }
  }
}
