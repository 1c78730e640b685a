/**
 * A chat message as the prompt templates read it: an OpenAI chat message,
 * loosely typed so provider-specific fields (`tool_calls`, `name`, …) pass
 * through to Jinja templates untouched.
 */
export interface PromptMessage {
  /** `system`, `user`, `assistant`, `tool`, … */
  role: string;
  /** A string, an array of content parts (only `text` parts are used), or `null`. */
  content?: string | readonly PromptContentPart[] | null;
  [field: string]: unknown;
}

/** One OpenAI content part; only `{"type":"text","text":…}` reaches a prompt. */
export interface PromptContentPart {
  type: string;
  text?: string;
  [field: string]: unknown;
}

/** Per-render options every template accepts (string templates ignore them). */
export interface TemplateRenderOptions {
  /** Extra variables for Jinja templates (vLLM's `chat_template_kwargs`). */
  chatTemplateKwargs?: Readonly<Record<string, unknown>>;
  /**
   * Whether a Jinja template appends the assistant header. Defaults to `true`,
   * as LiteLLM renders; the alternation repair re-renders without it unless
   * it was set explicitly.
   */
  addGenerationPrompt?: boolean;
}

/** Where a template came from. */
export type PromptTemplateSource = 'registered' | 'builtin' | 'bundled' | 'fallback';

/** A template chosen for a model: its name and how to render messages with it. */
export interface PromptTemplate {
  /** `llama-2-chat`, `hf:Qwen/Qwen2.5-7B-Instruct`, `default`, … */
  readonly name: string;
  /** `string` for the LiteLLM string builders, `jinja` for Hugging Face chat templates. */
  readonly kind: 'string' | 'jinja';
  /** Why this template was chosen. */
  readonly source: PromptTemplateSource;
  /** Renders the prompt; throws `BadRequestError` for bad messages or a bad template. */
  render(messages: readonly PromptMessage[], options?: TemplateRenderOptions): string;
}
