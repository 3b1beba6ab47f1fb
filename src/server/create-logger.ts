import { pino } from 'pino';
import type { Logger } from '../domain/index.js';

export interface CreateLoggerOptions {
  readonly level: string;
  /** Defaults to stdout; tests pass a stream to read the lines. */
  readonly destination?: NodeJS.WritableStream;
  /**
   * Redact credentials from logged objects (default true). Only for loggers whose lines have a
   * fixed shape without credentials, such as the access log.
   */
  readonly redact?: boolean;
}

/** Structured JSON logs; credentials that might end up in a logged object are redacted. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const settings = {
    level: options.level,
    base: { service: 'paddock' },
    redact:
      options.redact === false
        ? undefined
        : {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              'headers.authorization',
              'headers.cookie',
              '*.password',
              '*.token',
              '*.secret',
            ],
            censor: '<redacted>',
          },
  };
  return options.destination === undefined
    ? pino(settings)
    : pino(settings, options.destination as unknown as pino.DestinationStream);
}

/**
 * The server's logger and its access log, writing to one destination (stdout by default) so
 * that their lines never interleave; the access log skips redaction (see `redact`).
 */
export function createServerLoggers(options: Omit<CreateLoggerOptions, 'redact'>): {
  logger: Logger;
  accessLog: Logger;
} {
  const destination =
    options.destination ?? (pino.destination(1) as unknown as NodeJS.WritableStream);
  return {
    logger: createLogger({ ...options, destination }),
    accessLog: createLogger({ ...options, destination, redact: false }),
  };
}
