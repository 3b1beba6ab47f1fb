import { pino } from 'pino';
import type { Logger } from '../domain/index.js';

export interface CreateLoggerOptions {
  readonly level: string;
  /** Defaults to stdout; tests pass a stream to read the lines. */
  readonly destination?: NodeJS.WritableStream;
}

/** Structured JSON logs; credentials that might end up in a logged object are redacted. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const settings = {
    level: options.level,
    base: { service: 'paddock' },
    redact: {
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
