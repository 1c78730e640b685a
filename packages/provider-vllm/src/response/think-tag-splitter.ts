import { THINK_TAGS } from './think-tags';

/** What one piece of streamed content turned into. */
export interface SplitPiece {
  reasoning: string;
  content: string;
}

type State = 'start' | 'thinking' | 'answer';

const OPEN_TAGS = THINK_TAGS.map(tag => `<${tag}>`);

/**
 * Separates a leading `<think>…</think>` block from streamed content, for
 * servers that run without a reasoning parser. Tags may be split across
 * chunks at any byte, so text that could still be the start of a tag is held
 * back until the next piece (or {@link ThinkTagSplitter.flush}) decides it.
 * Only a block at the very start (after whitespace) counts; a later
 * `<think>` is ordinary content.
 */
export class ThinkTagSplitter {
  #state: State = 'start';
  #held = '';
  #close = '';

  /** Past any leading think block: text now passes through unchanged. */
  get answering(): boolean {
    return this.#state === 'answer';
  }

  /** Feeds the next content delta; returns what can be emitted now. */
  push(text: string): SplitPiece {
    if (this.#state === 'answer') return { reasoning: '', content: text };
    this.#held += text;
    if (this.#state === 'start') return this.#fromStart();
    return this.#fromThinking();
  }

  /** Releases anything held back (end of the choice's stream). */
  flush(): SplitPiece {
    const held = this.#held;
    this.#held = '';
    if (this.#state === 'thinking') return { reasoning: held, content: '' };
    this.#state = 'answer';
    return { reasoning: '', content: held };
  }

  #fromStart(): SplitPiece {
    const trimmed = this.#held.trimStart();
    if (trimmed === '') return { reasoning: '', content: '' };
    const open = OPEN_TAGS.find(tag => trimmed.startsWith(tag));
    if (open) {
      this.#state = 'thinking';
      this.#close = `</${open.slice(1)}`;
      this.#held = trimmed.slice(open.length);
      return this.#fromThinking();
    }
    if (OPEN_TAGS.some(tag => tag.startsWith(trimmed))) return { reasoning: '', content: '' };
    this.#state = 'answer';
    const content = this.#held;
    this.#held = '';
    return { reasoning: '', content };
  }

  #fromThinking(): SplitPiece {
    const at = this.#held.indexOf(this.#close);
    if (at >= 0) {
      const reasoning = this.#held.slice(0, at);
      const content = this.#held.slice(at + this.#close.length);
      this.#held = '';
      this.#state = 'answer';
      return { reasoning, content };
    }
    const keep = partialSuffix(this.#held, this.#close);
    const reasoning = this.#held.slice(0, this.#held.length - keep);
    this.#held = this.#held.slice(this.#held.length - keep);
    return { reasoning, content: '' };
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialSuffix(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (tag.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}
