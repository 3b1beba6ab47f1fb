/**
 * Keeps LMDB away from a full disk. lmdb-js survives one commit that fails for lack of space,
 * but repeated failing commits corrupt its native heap and the process aborts ("malloc():
 * invalid size"), measured in ADR 0021. So writes are refused before they reach LMDB while
 * the data directory's file system has less than `minFreeBytes` free, and after any commit
 * that failed for lack of space until that much is free again. Refused writes are
 * STORE_UNAVAILABLE (`disk_full`); the process stays up and writes resume by themselves.
 */
import { statfsSync } from 'node:fs';
import { PaddockError } from '../../errors/index.js';

const FENCE_FREE_BYTES = 1024 * 1024;

export interface DiskSpaceGuardOptions {
  /** A directory on the file system to watch (the store's). */
  readonly directory: string;
  /** Refuse writes below this much free space; 0 checks only after a failed commit. */
  readonly minFreeBytes: number;
  /** How long a "space is back" verdict is trusted while fenced; default 250 ms. */
  readonly recheckMs?: number;
  readonly now?: () => number;
  /** Free bytes for unprivileged writers; injectable for tests. */
  readonly freeBytes?: (directory: string) => number;
  readonly onChange?: (full: boolean, freeBytes: number) => void;
}

export class DiskSpaceGuard {
  readonly #o: DiskSpaceGuardOptions;
  readonly #now: () => number;
  readonly #freeBytes: (directory: string) => number;
  /** Set after a commit failed for lack of space. */
  #fenced = false;
  #full = false;
  #checkedAt = Number.NEGATIVE_INFINITY;

  constructor(options: DiskSpaceGuardOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#freeBytes = options.freeBytes ?? freeBytesOf;
  }

  get full(): boolean {
    return this.#full;
  }

  /** Throws STORE_UNAVAILABLE (`disk_full`) when a write must not reach LMDB now. */
  assertWritable(): void {
    if (this.#o.minFreeBytes <= 0 && !this.#fenced) return;
    // While writes are refused, statfs runs at most every `recheckMs`, not once per write.
    const now = this.#now();
    if (this.#full && now - this.#checkedAt < (this.#o.recheckMs ?? 250)) throw this.#refusal();
    this.#checkedAt = now;
    let free: number;
    try {
      free = this.#freeBytes(this.#o.directory);
    } catch {
      return; // Cannot tell: let LMDB try, and fence if it fails.
    }
    // After a failed commit, a few free kilobytes are not "space is back".
    const needed = this.#fenced
      ? Math.max(this.#o.minFreeBytes, FENCE_FREE_BYTES)
      : this.#o.minFreeBytes;
    const full = free < needed;
    if (!full) this.#fenced = false;
    if (full !== this.#full) {
      this.#full = full;
      this.#o.onChange?.(full, free);
    }
    if (full) throw this.#refusal();
  }

  /** A commit failed; if for lack of space, refuse writes until space is back. */
  commitFailed(error: unknown): void {
    if (!isOutOfSpace(error)) return;
    this.#fenced = true;
    this.#full = true;
    this.#checkedAt = this.#now();
    this.#o.onChange?.(true, 0);
  }

  #refusal(): PaddockError {
    return new PaddockError(
      'STORE_UNAVAILABLE',
      'The embedded store refuses writes: the disk of its data directory is full',
      { reason: 'disk_full' },
    );
  }
}

function freeBytesOf(directory: string): number {
  const s = statfsSync(directory);
  return s.bavail * s.bsize;
}

/** ENOSPC, or the EIO/"Input/output error" LMDB reports for a commit after one. */
export function isOutOfSpace(error: unknown): boolean {
  const text = `${(error as { code?: unknown })?.code ?? ''} ${error instanceof Error ? error.message : String(error)}`;
  return /ENOSPC|EDQUOT|No space left|Input\/output error|EIO|MDB_MAP_FULL/i.test(text);
}
