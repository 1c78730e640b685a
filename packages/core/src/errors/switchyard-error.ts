/**
 * The root of Switchyard's error hierarchy.
 *
 * Errors are recognised by a `Symbol.for` marker rather than `instanceof`, so
 * two copies of `@switchyard/core` in one process (a common result of npm
 * de-duplication failing) still agree on what an error is. The marker holds
 * the kinds of the class chain, so `BadRequestError.isInstance(err)` is true
 * for a `ContextWindowExceededError` too.
 */
const MARKER = Symbol.for('switchyard.error');

/** Headers as a plain lower-cased record. */
export type HeaderRecord = Record<string, string>;

/** What every Switchyard error can carry. */
export interface SwitchyardErrorOptions {
  /** Human-readable message. */
  message: string;
  /** HTTP status the proxy answers with; defaults to the class's status. */
  status?: number;
  /** The status the upstream server answered with, when there was one. */
  upstreamStatus?: number;
  /** Provider id (`hosted_vllm`, `triton`, …). */
  provider?: string;
  /** Model name as sent to the provider. */
  model?: string;
  /** The upstream response body, parsed when it was JSON, else the raw text. */
  body?: unknown;
  /** Upstream response headers. */
  headers?: HeaderRecord;
  /** How long the upstream asked us to wait before retrying, in milliseconds. */
  retryAfterMs?: number;
  /** Overrides the class's default retryability. */
  isRetryable?: boolean;
  /** OpenAI error `param`. */
  param?: string | null;
  /** OpenAI error `code`; defaults to the status as a string (as LiteLLM's proxy does). */
  code?: string;
  /** The underlying error. */
  cause?: unknown;
}

/** The OpenAI error envelope: `{"error":{"message","type","param","code"}}`. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

type ErrorClass = { readonly kind: string };

/** An error class as `isInstance` sees it: its marker kind and the instances it makes. */
type ErrorClassOf<T extends SwitchyardError> = ErrorClass & { readonly prototype: T };

/** Status codes worth retrying on another attempt or deployment. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Base class of every error Switchyard raises. */
export class SwitchyardError extends Error {
  /** Class name used by the cross-copy marker; every subclass sets its own. */
  static readonly kind: string = 'SwitchyardError';
  /** Status used when the constructor is not given one. */
  static readonly defaultStatus: number = 500;
  /** OpenAI error `type` used by {@link SwitchyardError.toOpenAIError}. */
  static readonly openaiType: string = 'api_error';

  readonly status: number;
  readonly upstreamStatus: number | undefined;
  readonly provider: string | undefined;
  readonly model: string | undefined;
  readonly body: unknown;
  readonly headers: HeaderRecord | undefined;
  readonly retryAfterMs: number | undefined;
  readonly isRetryable: boolean;
  readonly param: string | null;
  readonly code: string;
  declare readonly [MARKER]: readonly string[];

  constructor(options: SwitchyardErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    const ctor = new.target as unknown as typeof SwitchyardError;
    this.name = ctor.kind;
    this.status = options.status ?? ctor.defaultStatus;
    this.upstreamStatus = options.upstreamStatus;
    this.provider = options.provider;
    this.model = options.model;
    this.body = options.body;
    this.headers = options.headers;
    this.retryAfterMs = options.retryAfterMs;
    this.isRetryable = options.isRetryable ?? ctor.defaultRetryable(this.status);
    this.param = options.param ?? null;
    this.code = options.code ?? String(this.status);
    Object.defineProperty(this, MARKER, { value: kindsOf(ctor), enumerable: false });
  }

  /** Default retryability for an instance of this class with the given status. */
  static defaultRetryable(status: number): boolean {
    return isRetryableStatus(status);
  }

  /**
   * True when `error` is an instance of this class (or a subclass), even when
   * it was created by another copy of this package. A type predicate, so
   * `if (BadRequestError.isInstance(err)) err.status` type-checks.
   */
  static isInstance<T extends SwitchyardError>(this: ErrorClassOf<T>, error: unknown): error is T {
    if (typeof error !== 'object' || error === null) return false;
    const kinds = (error as { [MARKER]?: unknown })[MARKER];
    return Array.isArray(kinds) && kinds.includes(this.kind);
  }

  /** The error as the proxy writes it on the wire. */
  toOpenAIError(): OpenAIErrorBody {
    const ctor = this.constructor as typeof SwitchyardError;
    return {
      error: { message: this.message, type: ctor.openaiType, param: this.param, code: this.code },
    };
  }
}

function kindsOf(ctor: typeof SwitchyardError): string[] {
  const kinds: string[] = [];
  let current: unknown = ctor;
  while (typeof current === 'function' && 'kind' in current) {
    const kind = (current as ErrorClass).kind;
    if (!kinds.includes(kind)) kinds.push(kind);
    current = Object.getPrototypeOf(current);
  }
  return kinds;
}

/** Narrowing helper: is this any Switchyard error? */
export function isSwitchyardError(error: unknown): error is SwitchyardError {
  return SwitchyardError.isInstance(error);
}
