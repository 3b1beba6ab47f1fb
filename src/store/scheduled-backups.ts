/**
 * Backups on a schedule, as RKE takes etcd snapshots: every `everyMs` a backup file
 * `paddock-backup-<UTC time>.jsonl` goes into `directory`, and files older than `keepMs` are
 * deleted (never the newest). A controller: one replica writes them, through a lease in the
 * store. The schedule follows the newest file, so a restart or a failover neither skips a
 * backup nor writes an extra one.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Controller } from '../domain/controller.js';
import type { Logger } from '../domain/logger.js';
import type { Store } from '../domain/store.js';
import { backupToFile } from './backup-file.js';
import type { SealedBackupKeys } from './backup-keys.js';

export interface ScheduledBackupsOptions {
  readonly store: Store;
  readonly directory: string;
  readonly everyMs: number;
  readonly keepMs: number;
  readonly logger: Logger;
  /** The server keys to seal into each backup, when a passphrase is configured. */
  readonly keys?: () => Promise<SealedBackupKeys>;
  readonly now?: () => number;
}

const NAME = /^paddock-backup-(\d{8}T\d{6}(?:\d{3})?Z)\.jsonl$/;
/** After a failed backup, the next attempt comes no later than this. */
const RETRY_MS = 60_000;

export class ScheduledBackups implements Controller {
  readonly name = 'scheduled-backup';
  readonly #o: ScheduledBackupsOptions;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = true;

  constructor(options: ScheduledBackupsOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    await mkdir(this.#o.directory, { recursive: true, mode: 0o700 });
    const newest = (await this.#files()).at(-1);
    const due = newest === undefined ? this.#now() : newest.at + this.#o.everyMs;
    this.#schedule(Math.max(0, due - this.#now()));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** Writes one backup now and deletes those past the retention; answers the new file. */
  async runOnce(): Promise<string> {
    const at = this.#now();
    const path = join(this.#o.directory, `paddock-backup-${stamp(at)}.jsonl`);
    const keys = this.#o.keys === undefined ? undefined : await this.#o.keys();
    const summary = await backupToFile(this.#o.store, path, {
      now: () => at,
      ...(keys === undefined ? {} : { keys }),
    });
    this.#o.logger.info(
      { path, records: summary.records, withKeys: keys !== undefined },
      'scheduled backup written',
    );
    await this.#prune();
    return path;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      const run = this.runOnce().then(
        () => this.#o.everyMs,
        (err: unknown) => {
          this.#o.logger.warn({ err }, 'scheduled backup failed');
          return Math.min(this.#o.everyMs, RETRY_MS);
        },
      );
      this.#running = run;
      void run.then((next) => {
        this.#running = undefined;
        this.#schedule(next);
      });
    }, delayMs);
    this.#timer.unref();
  }

  async #prune(): Promise<void> {
    const files = await this.#files();
    const cutoff = this.#now() - this.#o.keepMs;
    for (const file of files.slice(0, -1)) {
      if (file.at >= cutoff) continue;
      await rm(join(this.#o.directory, file.name), { force: true });
      this.#o.logger.info({ path: join(this.#o.directory, file.name) }, 'old backup deleted');
    }
  }

  /** The scheduled backups in the directory, oldest first. */
  async #files(): Promise<{ name: string; at: number }[]> {
    const names = await readdir(this.#o.directory).catch(() => [] as string[]);
    return names
      .flatMap((name) => {
        const m = NAME.exec(name);
        return m?.[1] === undefined ? [] : [{ name, at: parseStamp(m[1]) }];
      })
      .sort((a, b) => a.at - b.at);
  }
}

/** `20300102T030405123Z`: sorts as it reads, and is a valid file name everywhere. */
function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace('.', '');
}

function parseStamp(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})?Z$/.exec(text);
  if (m === null) return 0;
  const [, y, mo, d, h, mi, s, ms] = m;
  return Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, +(ms ?? 0));
}
