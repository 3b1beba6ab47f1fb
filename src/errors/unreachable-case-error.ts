/** Ends an exhaustive switch: the compiler proves this line is never reached. */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`Unreachable case: ${JSON.stringify(value)}`);
    this.name = 'UnreachableCaseError';
  }
}
