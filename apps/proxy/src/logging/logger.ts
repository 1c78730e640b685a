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
