import {
  BadGatewayError,
  type ChatCompletionChunk,
  type FramesIterator,
  SseFrames,
  type SseJsonIterator,
} from '@switchyard/core';
import { reasoningField } from './normalize-reasoning';
import { PlainChunkTemplate } from './plain-chunk-template';
import { isPlainChatChunkText } from './plain-chunk-text';
import { ThinkTagSplitter } from './think-tag-splitter';

interface ChoiceState {
  splitter: ThinkTagSplitter;
  /** The server's reasoning parser is active: its fields are used, tags are left alone. */
  serverReasoning: boolean;
}

/** Context for error messages. */
export interface ChatStreamContext {
  provider: string;
  model: string;
}

/**
 * Turns vLLM's chat chunks into OpenAI chunks with reasoning in
 * `delta.reasoning_content`: from `delta.reasoning` / `delta.reasoning_content`,
 * or from a leading `<think>` block in the content (which may be split
 * across chunks). Usage chunks, finish reasons and every other field pass
 * through as sent. Chunks are never modified: one is copied when a choice
 * in it changes, else passed on as is.
 */
export function normalizeChatStream(
  events: AsyncIterable<unknown>,
  context: ChatStreamContext,
): AsyncIterableIterator<ChatCompletionChunk> & FramesIterator<ChatCompletionChunk> {
  return new NormalizedChatStream(events[Symbol.asyncIterator](), context);
}

const DONE: IteratorResult<ChatCompletionChunk> = { done: true, value: undefined };

/**
 * The iterator behind {@link normalizeChatStream}. A plain iterator rather
 * than an async generator: a stream yields one chunk per token, and a
 * generator layer costs several promises and result objects per chunk.
 * Like a generator's `for await`, it closes the source when the consumer
 * stops early or a chunk is malformed, but not when the source itself failed.
 */
class NormalizedChatStream
  implements AsyncIterableIterator<ChatCompletionChunk>, FramesIterator<ChatCompletionChunk>
{
  readonly #source: AsyncIterator<unknown> & Partial<SseJsonIterator<unknown>>;
  readonly #context: ChatStreamContext;
  readonly #states = new Map<number, ChoiceState>();
  #last: Record<string, unknown> | undefined;
  #done = false;
  readonly #onResult = (result: IteratorResult<unknown>): IteratorResult<ChatCompletionChunk> => {
    if (result.done) return this.#finish();
    try {
      return { done: false, value: this.#normalize(result.value) };
    } catch (error) {
      this.#close();
      throw error;
    }
  };
  readonly #onError = (error: unknown): never => {
    this.#done = true;
    throw error;
  };
  readonly #onFrames = (
    result: IteratorResult<unknown>,
  ): IteratorResult<ChatCompletionChunk | SseFrames> =>
    result.value instanceof SseFrames
      ? (result as IteratorResult<SseFrames>)
      : this.#onResult(result);
  /**
   * Which events may be relayed unparsed: plain ones (see
   * isPlainChatChunkText, and PlainChunkTemplate for the shortcut) once choice 0 is past any leading `<think>` block
   * or the server parses reasoning itself, so its content passes unchanged.
   * Asked with the state as of the last parsed chunk; plain chunks change
   * no state, so a run of them is judged right.
   */
  readonly #unparsed = (data: string): boolean => {
    if (!this.#contentPassesAsIs()) return false;
    // Most chunks are the last plain one with another token: no full scan for those.
    if (this.#template.matches(data)) return true;
    if (!isPlainChatChunkText(data)) return false;
    this.#template.learn(data);
    return true;
  };
  readonly #template = new PlainChunkTemplate();
  /**
   * The same decision from a chunk's bytes read as latin1, for a reader
   * that relays them undecoded (see PassUnparsedLatin1 for why the checks
   * hold on such text). Its own template: the text of a non-ASCII chunk
   * differs between the two readings.
   */
  readonly #unparsedLatin1 = (latin1: string, start: number, end: number): boolean => {
    if (!this.#contentPassesAsIs()) return false;
    if (this.#latin1Template.matchesAt(latin1, start, end)) return true;
    const text = latin1.slice(start, end);
    if (!isPlainChatChunkText(text)) return false;
    this.#latin1Template.learn(text);
    return true;
  };
  readonly #latin1Template = new PlainChunkTemplate();

  constructor(source: AsyncIterator<unknown>, context: ChatStreamContext) {
    this.#source = source;
    this.#context = context;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ChatCompletionChunk>> {
    if (this.#done) return Promise.resolve(DONE);
    return this.#source.next().then(this.#onResult, this.#onError);
  }

  /**
   * Like next(), but runs of chunks that would pass unchanged come as
   * unparsed {@link SseFrames} when the source can hand them out.
   */
  nextFrames(): Promise<IteratorResult<ChatCompletionChunk | SseFrames>> {
    if (this.#done) return Promise.resolve(DONE);
    const source = this.#source;
    if (source.nextFrames === undefined) return this.next();
    return source
      .nextFrames(this.#unparsed, this.#unparsedLatin1)
      .then(this.#onFrames, this.#onError);
  }

  async return(): Promise<IteratorResult<ChatCompletionChunk>> {
    if (!this.#done) {
      this.#done = true;
      await this.#source.return?.();
    }
    return DONE;
  }

  /**
   * Whether choice 0 is the only one and its content passes unchanged: past
   * any leading `<think>` block, or the server parses reasoning itself.
   */
  #contentPassesAsIs(): boolean {
    if (this.#states.size !== 1) return false;
    const state = this.#states.get(0);
    return state !== undefined && (state.serverReasoning || state.splitter.answering);
  }

  #normalize(event: unknown): ChatCompletionChunk {
    const chunk = checkChunk(event, this.#context);
    this.#last = chunk;
    const raw = chunk.choices as unknown[];
    // Most chunks carry plain answer text and pass as they are; a chunk is
    // copied only when one of its choices changes.
    let choices: unknown[] | undefined;
    for (let i = 0; i < raw.length; i++) {
      const choice = normalizeChoice(raw[i], this.#states);
      if (choice !== raw[i] && choices === undefined) choices = raw.slice(0, i);
      choices?.push(choice);
    }
    return (choices ? { ...chunk, choices } : chunk) as ChatCompletionChunk;
  }

  /** The source ended: one more chunk with text still held back (a possible tag), then done. */
  #finish(): IteratorResult<ChatCompletionChunk> {
    this.#done = true;
    const tail: unknown[] = [];
    for (const [index, state] of this.#states) {
      const piece = state.splitter.flush();
      const delta = deltaFrom(piece.reasoning, piece.content);
      if (delta) tail.push({ index, delta, finish_reason: null });
    }
    const last = this.#last;
    if (tail.length === 0 || last === undefined) return DONE;
    const value = {
      id: last.id,
      object: last.object,
      created: last.created,
      model: last.model,
      choices: tail,
    } as ChatCompletionChunk;
    return { done: false, value };
  }

  /** A malformed chunk ends the stream: free the upstream, as a generator's `for await` would. */
  #close(): void {
    this.#done = true;
    this.#source.return?.().catch(() => {});
  }
}

function normalizeChoice(raw: unknown, states: Map<number, ChoiceState>): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const choice = raw as Record<string, unknown>;
  const index = typeof choice.index === 'number' ? choice.index : 0;
  let state = states.get(index);
  if (!state) {
    state = { splitter: new ThinkTagSplitter(), serverReasoning: false };
    states.set(index, state);
  }
  if (passesUnchanged(choice, state)) return choice;
  const original = choice.delta;
  const hasDelta = typeof original === 'object' && original !== null;
  const delta: Record<string, unknown> = hasDelta ? { ...original } : {};
  // Whether the copy ends up different: when it does not, the choice passes as it
  // came (and its chunk with it, relayed as the bytes that came in, not serialised again).
  let changed = !hasDelta || 'reasoning' in delta;
  const reasoning = reasoningField(delta);
  delete delta.reasoning;
  if (reasoning !== undefined) {
    delta.reasoning_content = reasoning;
    state.serverReasoning = true;
  } else if (!state.serverReasoning && typeof delta.content === 'string' && delta.content !== '') {
    const piece = state.splitter.push(delta.content);
    if (piece.content !== delta.content || piece.reasoning !== '') changed = true;
    if (piece.content === '') delete delta.content;
    else delta.content = piece.content;
    if (piece.reasoning !== '') delta.reasoning_content = piece.reasoning;
  }
  if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
    const piece = state.splitter.flush();
    if (piece.reasoning !== '' || piece.content !== '') changed = true;
    if (piece.reasoning !== '')
      delta.reasoning_content = `${(delta.reasoning_content as string | undefined) ?? ''}${piece.reasoning}`;
    if (piece.content !== '')
      delta.content = `${(delta.content as string | undefined) ?? ''}${piece.content}`;
  }
  return changed ? { ...choice, delta } : choice;
}

/**
 * True when normalising would change nothing: no reasoning field to rename,
 * no finish to flush held text at, and content that needs no tag splitting
 * (the server parses reasoning itself, the choice is past any leading
 * `<think>` block, or there is no text).
 */
function passesUnchanged(choice: Record<string, unknown>, state: ChoiceState): boolean {
  const delta = choice.delta;
  if (typeof delta !== 'object' || delta === null) return false;
  if ('reasoning' in delta || 'reasoning_content' in delta) return false;
  if (choice.finish_reason !== null && choice.finish_reason !== undefined) return false;
  const content = (delta as { content?: unknown }).content;
  return (
    state.serverReasoning ||
    state.splitter.answering ||
    typeof content !== 'string' ||
    content === ''
  );
}

function deltaFrom(reasoning: string, content: string): Record<string, string> | undefined {
  if (reasoning === '' && content === '') return undefined;
  return {
    ...(reasoning !== '' ? { reasoning_content: reasoning } : {}),
    ...(content !== '' ? { content } : {}),
  };
}

function checkChunk(event: unknown, context: ChatStreamContext): Record<string, unknown> {
  if (
    typeof event === 'object' &&
    event !== null &&
    Array.isArray((event as { choices?: unknown }).choices)
  ) {
    return event as Record<string, unknown>;
  }
  throw new BadGatewayError({
    message: `A chat stream event has no choices array: ${JSON.stringify(event).slice(0, 200)}`,
    provider: context.provider,
    model: context.model,
    body: event,
  });
}
