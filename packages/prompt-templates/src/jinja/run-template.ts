import type { Template } from '@huggingface/jinja';
import { loadJinja } from './jinja-module';

/** Thrown by the `raise_exception` a chat template calls, so it can be told from engine errors. */
export class TemplateRaisedError extends Error {
  override readonly name = 'TemplateRaisedError';
}

/** `raise_exception(msg)` as Hugging Face and LiteLLM define it. */
function raiseException(message: unknown): never {
  throw new TemplateRaisedError(String(message));
}

function range(start: number, stop?: number, step = 1): number[] {
  let from = start;
  let to = stop;
  if (to === undefined) {
    to = from;
    from = 0;
  }
  if (step === 0) throw new Error('range() step must not be zero');
  const result: number[] = [];
  if (step > 0) for (let i = from; i < to; i += step) result.push(i);
  else for (let i = from; i > to; i += step) result.push(i);
  return result;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * `strftime_now(format)` as transformers and vLLM provide it (Llama 3.2
 * prints today's date with it). Month names are English, as Python's
 * default C locale prints them, whatever this machine's locale.
 */
export function strftimeNow(format: string, now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return format.replace(/%[YmdbBHMS%]/g, token => {
    switch (token) {
      case '%Y':
        return String(now.getFullYear());
      case '%m':
        return pad(now.getMonth() + 1);
      case '%d':
        return pad(now.getDate());
      case '%b':
        return MONTHS[now.getMonth()]!.slice(0, 3);
      case '%B':
        return MONTHS[now.getMonth()]!;
      case '%H':
        return pad(now.getHours());
      case '%M':
        return pad(now.getMinutes());
      case '%S':
        return pad(now.getSeconds());
      default:
        return '%';
    }
  });
}

const GLOBALS: Readonly<Record<string, unknown>> = {
  false: false,
  true: true,
  none: null,
  False: false,
  True: true,
  None: null,
  range,
  strftime_now: strftimeNow,
  raise_exception: raiseException,
};

/**
 * Renders a parsed template. `Template.render` declares its own
 * `raise_exception`, which cannot be overridden and throws a plain `Error`;
 * running the interpreter over our own environment lets a template's
 * deliberate refusal be told apart from an engine failure.
 */
export function runTemplate(
  template: Template,
  variables: Readonly<Record<string, unknown>>,
): string {
  const { Environment, Interpreter } = loadJinja();
  const env = new Environment();
  for (const [key, value] of Object.entries(GLOBALS)) env.set(key, value);
  for (const [key, value] of Object.entries(variables)) {
    if (!Object.hasOwn(GLOBALS, key)) env.set(key, value);
  }
  const result = new Interpreter(env).run(template.parsed) as { value: unknown };
  return String(result.value);
}
