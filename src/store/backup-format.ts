/**
 * Backup file format (JSON Lines), version 2:
 *   line 1:   {"format":"paddock-backup","version":2,"createdAt":"<ISO time>","store":"embedded",
 *              "keys":{…}?,"sum":"…"}
 *   lines 2…: {"collection":"users","id":"u-1","value":{…},"expiresAt":1700000000000?,"sum":"…"}
 *   last:     {"end":true,"records":<count>,"sha256":"<hex>","sum":"…"}
 * Every line ends with `sum`, the first 16 hex digits of the SHA-256 of the line without it,
 * so a changed byte is found on its line; `sha256` covers every byte before the last line, so
 * a line added, dropped or moved is found too. `keys` (backup --keys) are the server keys
 * sealed under a passphrase (backup-keys.ts). Version 1 files (no sums) are still read.
 */
import { createHash, type Hash } from 'node:crypto';

export const BACKUP_FORMAT = 'paddock-backup';
export const BACKUP_VERSION = 2;
export const READABLE_BACKUP_VERSIONS: readonly number[] = [1, 2];

/** The JSON of `value` with its checksum added as the last field. */
export function checksummedLine(value: Record<string, unknown>): string {
  const json = JSON.stringify(value);
  return `${json.slice(0, -1)},"sum":"${lineSum(json)}"}`;
}

/** Why a parsed line does not match its checksum, or undefined; `sum` is removed from it. */
export function checkLineSum(parsed: Record<string, unknown>): string | undefined {
  const { sum, ...rest } = parsed;
  if (typeof sum !== 'string') return 'the line has no checksum ("sum")';
  for (const key of Object.keys(parsed)) delete parsed[key];
  Object.assign(parsed, rest);
  return lineSum(JSON.stringify(rest)) === sum
    ? undefined
    : 'the line does not match its checksum (the file was changed or damaged here)';
}

function lineSum(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

/** The running SHA-256 of the lines before the closing one. */
export class FileSum {
  readonly #hash: Hash = createHash('sha256');

  add(line: string): void {
    this.#hash.update(`${line}\n`);
  }

  hex(): string {
    return this.#hash.copy().digest('hex');
  }
}
