import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { BadRequestError } from '@switchyard/core';

/** Counts tokens of a text, for usage the upstream did not report. */
export interface TokenCounter {
  count(text: string): number;
  /** True when the counts are estimates rather than a real tokenizer's. */
  readonly estimated: boolean;
}

/**
 * The fallback when no tokenizer is configured: about four characters per
 * token for English, never fewer tokens than words. Results are marked
 * `estimated` in usage, never passed off as real counts.
 */
export const estimatingCounter: TokenCounter = {
  estimated: true,
  count(text: string): number {
    if (text.length === 0) return 0;
    const words = text.split(/\s+/).filter(word => word.length > 0).length;
    return Math.max(words, Math.ceil(text.length / 4));
  },
};

const loaded = new Map<string, Promise<TokenCounter>>();

/**
 * The counter for a model: a real tokenizer read from a local
 * `tokenizer.json` (a file, or a folder that holds one, with its
 * `tokenizer_config.json` when present) — never fetched over the network —
 * or {@link estimatingCounter} when no path is configured. A tokenizer is
 * read once per path and kept.
 */
export function tokenCounterFor(tokenizerPath: string | undefined): Promise<TokenCounter> {
  if (tokenizerPath === undefined) return Promise.resolve(estimatingCounter);
  let pending = loaded.get(tokenizerPath);
  if (!pending) {
    pending = loadTokenizer(tokenizerPath);
    // A failed load is not kept, so fixing the file fixes the next call.
    pending.catch(() => loaded.delete(tokenizerPath));
    loaded.set(tokenizerPath, pending);
  }
  return pending;
}

async function loadTokenizer(path: string): Promise<TokenCounter> {
  try {
    const file = (await stat(path)).isDirectory() ? join(path, 'tokenizer.json') : path;
    const tokenizerJson = JSON.parse(await readFile(file, 'utf8')) as object;
    const config = await readOptionalJson(join(dirname(file), 'tokenizer_config.json'));
    const tokenizer = new Tokenizer(tokenizerJson, config);
    return {
      estimated: false,
      // The prompt template already wrote any BOS/EOS into the text.
      count: text =>
        text.length === 0 ? 0 : tokenizer.encode(text, { add_special_tokens: false }).ids.length,
    };
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new BadRequestError({
      message: `Invalid tokenizer_path: could not load a tokenizer.json from "${path}": ${detail}`,
      param: 'tokenizer_path',
      provider: 'triton',
      cause,
    });
  }
}

async function readOptionalJson(path: string): Promise<object> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as object;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return {};
    throw error;
  }
}
