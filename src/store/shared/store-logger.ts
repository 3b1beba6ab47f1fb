/** The slice of a pino logger the store uses (so tests can pass a fake). */
export interface StoreLogger {
  warn(details: Record<string, unknown>, message: string): void;
  info(details: Record<string, unknown>, message: string): void;
}
