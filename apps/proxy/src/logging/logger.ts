import { type DestinationStream, type Logger, pino } from 'pino';

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** `--detailed-debug`: debug level, and request bodies and upstream messages are logged. */
  detailedDebug?: boolean;
  /** Level when not detailed; default `LOG_LEVEL` or `info`. `silent` turns logging off. */
  level?: string;
  /** Where lines go; default stdout. */
  destination?: DestinationStream;
}

/**
 * Structured JSON logs (one line per request, with its call id). Secrets
 * and prompt text are never passed to the logger in normal mode; the redact
 * list is a second line of defence for anything that slips into a field.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.detailedDebug
    ? 'debug'
    : (options.level ?? process.env.LOG_LEVEL ?? 'info');
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: {
        paths: [
          '*.api_key',
          '*.master_key',
          '*.authorization',
          'headers.authorization',
          'headers["x-api-key"]',
        ],
        censor: '[redacted]',
      },
    },
    // Asynchronous writes to stdout: a slow reader of the log (a full pipe)
    // must never stall request handling. pino flushes what is left at exit.
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

export type { Logger };

const lineLoggers = new WeakMap<Logger, Logger>();

/**
 * The logger for the one line per request: `logger` without its redact
 * list. That line is built field by field from the exchange (ids, route,
 * status, timings, error class, a redacted api_base) and holds no nested
 * object a redact path could match, while pino's redaction wrapper tripled
 * the cost of writing it (about 30 µs against 10 µs a line; a 499 line for
 * each of 5,000 clients leaving at once).
 */
export function requestLineLogger(logger: Logger): Logger {
  let child = lineLoggers.get(logger);
  if (child === undefined) {
    child = logger.child({}, { redact: [] });
    lineLoggers.set(logger, child);
  }
  // A child keeps the level it was made with; the parent's may change later.
  if (child.level !== logger.level) child.level = logger.level;
  return child;
}
