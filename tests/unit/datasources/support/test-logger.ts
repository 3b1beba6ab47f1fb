import type { Logger } from '../../../../src/domain/logger.js';

export interface LogLine {
  readonly level: string;
  readonly obj: object;
  readonly msg: string | undefined;
}

/** A Logger that keeps every line in memory so tests can assert on what was logged. */
export function createTestLogger(lines: LogLine[] = []): Logger & { lines: LogLine[] } {
  const at =
    (level: string, bindings: object) =>
    (objOrMsg: object | string, msg?: string): void => {
      if (typeof objOrMsg === 'string') lines.push({ level, obj: { ...bindings }, msg: objOrMsg });
      else lines.push({ level, obj: { ...bindings, ...objOrMsg }, msg });
    };
  const make = (bindings: object): Logger & { lines: LogLine[] } => ({
    lines,
    fatal: at('fatal', bindings),
    error: at('error', bindings),
    warn: at('warn', bindings),
    info: at('info', bindings),
    debug: at('debug', bindings),
    trace: at('trace', bindings),
    child: (more) => make({ ...bindings, ...more }),
  });
  return make({});
}
