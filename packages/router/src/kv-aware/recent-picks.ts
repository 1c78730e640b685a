/**
 * Where prefixes were just sent, before their engine's events can say so.
 * Between a pick and the events of the blocks it stores (prefill, then
 * publication) — and before the prompt's blocks are named — the index
 * knows nothing of a new prefix, and its next requests would scatter. For
 * that window the replica a message prefix was last sent to keeps an
 * estimated claim on it (about four characters per token), which events
 * then replace. Entries live `ttlMs` and at most `maxEntries` are kept.
 */
export interface PrefixHint {
  deploymentId: string;
  blocks: number;
  /** Index of the message prefix the hint is for. */
  at: number;
}

export class RecentPicks {
  readonly #entries = new Map<number, { deploymentId: string; blocks: number; at: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(options: { ttlMs: number; maxEntries: number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries;
  }

  /** Records that the prefix `key` (about `blocks` blocks) went to `deploymentId` at `now`. */
  note(key: number, deploymentId: string, blocks: number, now: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { deploymentId, blocks, at: now });
    while (this.#entries.size > this.#maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
  }

  /** The freshest claim on the longest of `keys` (message prefixes, shortest first). */
  hint(keys: readonly number[], now: number): PrefixHint | undefined {
    for (let j = keys.length - 1; j >= 0; j--) {
      const entry = this.#entries.get(keys[j]!);
      if (entry && now - entry.at <= this.#ttlMs) {
        return { deploymentId: entry.deploymentId, blocks: entry.blocks, at: j };
      }
    }
    return undefined;
  }
}

/** Estimated blocks of each message prefix (about four characters per token). */
export function estimatedBlocks(request: unknown, blockSize: number): number[] {
  const messages = (request as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages)) return [];
  let chars = 0;
  return messages.map(message => {
    const content = (message as { content?: unknown } | null)?.content;
    chars += typeof content === 'string' ? content.length : JSON.stringify(content ?? '').length;
    return Math.floor(chars / 4 / blockSize);
  });
}
