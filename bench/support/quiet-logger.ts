/** A Logger that drops everything: benches print their own figures and nothing else. */
import type { Logger } from '../../src/domain/logger.js';

export const quietLogger: Logger = {
  fatal: () => undefined,
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
  trace: () => undefined,
  child: () => quietLogger,
};
