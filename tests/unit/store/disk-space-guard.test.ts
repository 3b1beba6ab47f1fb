import { expect } from 'chai';
import { hasErrorCode } from '../../../src/errors/index.js';
import { DiskSpaceGuard, isOutOfSpace } from '../../../src/store/embedded/disk-space-guard.js';

const MiB = 1024 * 1024;

function guard(minFreeBytes: number) {
  let free = 100 * MiB;
  let now = 0;
  let calls = 0;
  const g = new DiskSpaceGuard({
    directory: '/data',
    minFreeBytes,
    now: () => now,
    freeBytes: () => {
      calls++;
      return free;
    },
  });
  const writable = () => {
    try {
      g.assertWritable();
      return true;
    } catch (err) {
      if (hasErrorCode(err, 'STORE_UNAVAILABLE') && err.reason === 'disk_full') return false;
      throw err;
    }
  };
  return {
    g,
    writable,
    setFree: (bytes: number) => {
      free = bytes;
    },
    later: (ms: number) => {
      now += ms;
    },
    calls: () => calls,
  };
}

describe('DiskSpaceGuard', () => {
  it('refuses writes while less than the minimum is free, and lets them through once it is', () => {
    const t = guard(64 * MiB);
    expect(t.writable()).to.equal(true);
    t.setFree(10 * MiB);
    expect(t.writable()).to.equal(false);
    expect(t.g.full).to.equal(true);
    t.setFree(80 * MiB);
    t.later(300);
    expect(t.writable()).to.equal(true);
  });

  it('asks the file system at most every 250 ms while the disk is full', () => {
    const t = guard(64 * MiB);
    t.setFree(0);
    for (let i = 0; i < 100; i++) t.writable();
    expect(t.calls()).to.equal(1);
    t.later(250);
    t.writable();
    expect(t.calls()).to.equal(2);
  });

  it('after a commit failed for lack of space, refuses writes until a megabyte is free again', () => {
    const t = guard(0);
    t.setFree(8 * 1024);
    expect(t.writable()).to.equal(true);
    t.g.commitFailed(Object.assign(new Error('No space left on device'), { code: 'ENOSPC' }));
    expect(t.writable()).to.equal(false);
    t.later(300);
    expect(t.writable(), 'a few kilobytes are not enough').to.equal(false);
    t.setFree(2 * MiB);
    t.later(300);
    expect(t.writable()).to.equal(true);
  });

  it('ignores a failed commit that had nothing to do with space', () => {
    const t = guard(0);
    t.g.commitFailed(new Error('MDB_BAD_TXN'));
    expect(t.writable()).to.equal(true);
  });

  it("recognises LMDB's ways of saying the disk is full", () => {
    expect(isOutOfSpace(new Error('No space left on device: Attempting to write page'))).to.equal(
      true,
    );
    expect(isOutOfSpace(new Error('Input/output error'))).to.equal(true);
    expect(isOutOfSpace(new Error('MDB_NOTFOUND'))).to.equal(false);
  });
});
