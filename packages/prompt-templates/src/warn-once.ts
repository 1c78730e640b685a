/** Receives the package's warnings (a model without a template, …). */
export type WarningHandler = (message: string) => void;

/** `process.emitWarning` with a stable code, so `--no-warnings` and listeners work as usual. */
export const defaultWarningHandler: WarningHandler = message => {
  process.emitWarning(message, { code: 'SWITCHYARD_PROMPT_TEMPLATE' });
};

/** Remembers which keys were warned about so each warns once. */
export class WarnOnce {
  readonly #seen = new Set<string>();

  /** Calls `handler(message)` the first time `key` is seen; returns whether it did. */
  warn(key: string, message: string, handler: WarningHandler): boolean {
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    handler(message);
    return true;
  }
}
