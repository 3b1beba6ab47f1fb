/** One logging target kind: its settings, its Fluent Bit output, and how Paddock tests it. */
import type { FieldSpec, SecretSpecs } from '../../domain/field-specs.js';
import type { LoggingTargetKind } from '../../domain/logging.js';
import type { OutboundDialPolicy, OutboundHttp } from '../../domain/outbound-http.js';

export type Settings = Readonly<Record<string, unknown>>;

/** One log record as the test sends it (and as Fluent Bit would, give or take fields). */
export interface TestRecord {
  readonly time: Date;
  readonly message: string;
  readonly cluster: string;
  readonly source: 'paddock';
}

export interface TestIo {
  readonly http: OutboundHttp;
  /** Checks every socket target (syslog, forward, Kafka) before it is dialled. */
  readonly policy: OutboundDialPolicy;
  readonly timeoutMs: number;
}

export interface TargetKind {
  readonly kind: LoggingTargetKind;
  readonly settings: Readonly<Record<string, FieldSpec>>;
  readonly secrets: SecretSpecs;
  /**
   * The `[OUTPUT]` entries (without Name and Match) for Fluent Bit; `env(field)` is the
   * `${VAR}` reference under which the collector receives a secret from its Secret.
   */
  output(
    settings: Settings,
    secrets: ReadonlySet<string>,
    env: (field: string) => string,
  ): [string, string][];
  /** Sends `record` to the target; resolves with what it answered. */
  test(
    settings: Settings,
    secrets: Readonly<Record<string, string>>,
    record: TestRecord,
    io: TestIo,
  ): Promise<string>;
}

export const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
export const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);
export const onOff = (v: unknown): string => (v === true ? 'On' : 'Off');

export const HOST: FieldSpec = {
  type: 'string',
  required: true,
  pattern: /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$|^\[?[0-9a-fA-F:]+\]?$/,
};
export const PORT: FieldSpec = { type: 'number', min: 1, max: 65535 };

/** A refused HTTP answer as a test result. */
export function httpFailure(what: string, status: number, text: string): Error {
  return new Error(`${what} answered ${status}: ${text.slice(0, 200)}`);
}
