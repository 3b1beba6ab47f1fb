/** What a command may touch of the process; passed in so commands can be tested. */
export interface CliIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** All of standard input (for `--password-stdin`); absent where there is none. */
  readonly readStdin?: () => Promise<string>;
}

/** Exit statuses: 0 ok, 1 failure at run time, 2 bad usage or configuration. */
export const exitCodes = { ok: 0, failure: 1, usage: 2 } as const;
