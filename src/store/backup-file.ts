import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { BackupRecord, CollectionSpec, Store } from '../domain/store.js';
import { isPaddockError, PaddockError } from '../errors/index.js';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  checkLineSum,
  checksummedLine,
  FileSum,
  READABLE_BACKUP_VERSIONS,
} from './backup-format.js';
import type { SealedBackupKeys } from './backup-keys.js';
import { planImport } from './shared/import-plan.js';
import { idProblem, isValidCollectionName } from './shared/validation.js';

export { BACKUP_FORMAT, BACKUP_VERSION } from './backup-format.js';

export interface BackupSummary {
  readonly path: string;
  readonly records: number;
}

export interface BackupOptions {
  readonly now?: () => number;
  /** The server keys, sealed under a passphrase (`backup --keys`). */
  readonly keys?: SealedBackupKeys;
}

/** What the first line says. */
export interface BackupHeader {
  readonly format: string;
  readonly version: number;
  readonly createdAt: string;
  readonly store: string;
  readonly keys?: SealedBackupKeys;
}

/** A whole backup file, read and checked. */
export interface BackupContents {
  readonly header: BackupHeader;
  readonly records: BackupRecord[];
}

/**
 * Writes every record of the store to `path`. The file is written beside its destination and
 * renamed into place after an fsync, so a failed backup never leaves a partial file.
 */
export async function backupToFile(
  store: Store,
  path: string,
  options: BackupOptions = {},
): Promise<BackupSummary> {
  const now = options.now ?? Date.now;
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const file = await open(temp, 'wx', 0o600);
  let records = 0;
  const sum = new FileSum();
  const line = (value: Record<string, unknown>) => {
    const text = checksummedLine(value);
    sum.add(text);
    return `${text}\n`;
  };
  try {
    let buffer = line({
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date(now()).toISOString(),
      store: store.kind,
      ...(options.keys === undefined ? {} : { keys: options.keys }),
    });
    for await (const record of store.exportRecords()) {
      buffer += line({ ...record });
      records += 1;
      if (buffer.length >= 64 * 1024) {
        await file.write(buffer);
        buffer = '';
      }
    }
    buffer += `${checksummedLine({ end: true, records, sha256: sum.hex() })}\n`;
    await file.write(buffer);
    await file.sync();
    await file.close();
  } catch (error) {
    await file.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
  return { path, records };
}

/**
 * Replaces the store's content with a backup file. Every line is checked before anything is
 * written; a bad file is refused with the line number and the problem, store untouched.
 */
export async function restoreFromFile(
  store: Store,
  path: string,
  specs: readonly CollectionSpec<unknown>[],
  options: {
    now?: () => number;
    /** Last word before anything is written (e.g. whether this Paddock's keys fit). */
    check?: (contents: BackupContents) => Promise<void>;
  } = {},
): Promise<number> {
  const contents = await readBackupFile(path);
  const { records } = contents;
  const now = options.now ?? Date.now;
  // Dry run of the import plan so unique-index clashes are reported by line before any write.
  try {
    await planImport(fromArray(records), specs, now(), (position) => `line ${position + 1}`);
  } catch (error) {
    if (isPaddockError(error)) {
      throw new PaddockError(error.code, `Backup file ${path}, ${error.message}`, {
        ...(error.reason === undefined ? {} : { reason: error.reason }),
        ...(error.details === undefined ? {} : { details: error.details }),
        cause: error,
      });
    }
    throw error;
  }
  await options.check?.(contents);
  return store.importRecords(fromArray(records), specs);
}

/** Reads and validates a whole backup file into memory. */
export async function readBackupFile(path: string): Promise<BackupContents> {
  const records: BackupRecord[] = [];
  let lineNumber = 0;
  let ended = false;
  let header: BackupHeader | undefined;
  const sum = new FileSum();
  const fail = (problem: string): never => {
    throw new PaddockError(
      'VALIDATION_FAILED',
      `Backup file ${path}, line ${lineNumber}: ${problem}`,
      {
        reason: 'bad_backup_file',
        details: { line: lineNumber },
      },
    );
  };
  let lines: ReturnType<typeof createInterface>;
  try {
    const input = createReadStream(path, { encoding: 'utf8' });
    await new Promise<void>((resolve, reject) => {
      input.once('open', () => resolve());
      input.once('error', reject);
    });
    lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  } catch (error) {
    throw new PaddockError('VALIDATION_FAILED', `Cannot read backup file ${path}`, {
      cause: error,
    });
  }
  for await (const line of lines) {
    lineNumber += 1;
    if (ended) fail('unexpected content after the closing line');
    const parsed = parseLine(line, fail);
    // Version 1 files carry no checksums; from version 2 on every line does.
    const summed = header === undefined ? parsed.version !== 1 : header.version >= 2;
    if (summed) {
      const problem = checkLineSum(parsed);
      if (problem !== undefined) fail(problem);
    }
    if (lineNumber === 1) {
      header = checkHeader(parsed, fail);
      sum.add(line);
      continue;
    }
    if (parsed.end === true) {
      if (parsed.records !== records.length) {
        fail(
          `the closing line counts ${String(parsed.records)} records but the file has ${records.length}`,
        );
      }
      if (summed && parsed.sha256 !== sum.hex()) {
        fail('the checksum of the whole file does not match (lines were added, lost or moved)');
      }
      ended = true;
      continue;
    }
    sum.add(line);
    records.push(checkRecord(parsed, fail));
  }
  if (lineNumber === 0) fail('the file is empty');
  if (!ended || header === undefined) {
    lineNumber += 1;
    fail('the file ends without its closing line (it was cut short)');
  }
  return { header: header as BackupHeader, records };
}

function parseLine(line: string, fail: (problem: string) => never): Record<string, unknown> {
  if (line.trim() === '') return fail('empty line');
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return fail('not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail('expected a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function checkHeader(
  header: Record<string, unknown>,
  fail: (problem: string) => never,
): BackupHeader {
  if (header.format !== BACKUP_FORMAT)
    fail(`not a Paddock backup (no "format":"${BACKUP_FORMAT}" header)`);
  if (typeof header.version !== 'number' || !READABLE_BACKUP_VERSIONS.includes(header.version)) {
    fail(
      `unsupported backup version ${JSON.stringify(header.version)} (this Paddock reads ${READABLE_BACKUP_VERSIONS.join(' and ')})`,
    );
  }
  if (header.keys !== undefined && (typeof header.keys !== 'object' || header.keys === null)) {
    fail('"keys" must be an object');
  }
  return header as unknown as BackupHeader;
}

function checkRecord(raw: Record<string, unknown>, fail: (problem: string) => never): BackupRecord {
  for (const key of Object.keys(raw)) {
    if (!['collection', 'id', 'value', 'expiresAt'].includes(key)) fail(`unknown field "${key}"`);
  }
  if (!isValidCollectionName(raw.collection)) fail('"collection" is missing or not a valid name');
  const problem = idProblem(raw.id);
  if (problem !== undefined) fail(`"id": ${problem}`);
  if (!('value' in raw)) fail('"value" is missing');
  if (
    raw.expiresAt !== undefined &&
    (typeof raw.expiresAt !== 'number' || !Number.isFinite(raw.expiresAt))
  ) {
    fail('"expiresAt" must be a number of milliseconds');
  }
  return {
    collection: raw.collection as string,
    id: raw.id as string,
    value: raw.value,
    ...(raw.expiresAt === undefined ? {} : { expiresAt: raw.expiresAt as number }),
  };
}

async function* fromArray<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}

/** Makes the rename itself durable. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
