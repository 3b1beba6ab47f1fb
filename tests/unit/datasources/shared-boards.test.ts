import { expect } from 'chai';
import { StoreCapacityBoard } from '../../../src/datasources/capacity/capacity-board.js';
import type { ClusterCapacitySnapshot } from '../../../src/domain/kube-api.js';
import type { RbacSyncStatus } from '../../../src/domain/rbac-downstream.js';
import { StoreStatusBoard } from '../../../src/store/shared-status-board.js';
import { MemoryStore } from '../../support/memory-store.js';
import { waitFor } from '../../support/wait-for.js';
import { createTestLogger } from './support/test-logger.js';

const totals = { cpuMillis: 1000, memoryBytes: 2048, pods: 10 };
const snapshot = (readAt: number): ClusterCapacitySnapshot => ({
  capacity: totals,
  allocatable: totals,
  requested: totals,
  limits: totals,
  readAt,
});

describe('boards shared through the store', () => {
  it('serves capacity written by another replica from memory, and not once it is stale', async () => {
    const store = new MemoryStore();
    let now = 10_000;
    const writer = new StoreCapacityBoard({ store, staleAfterMs: 3_000, now: () => now });
    const reader = new StoreCapacityBoard({ store, staleAfterMs: 3_000, now: () => now });
    expect(await reader.capacity('one')).to.equal(undefined);
    await writer.put('one', snapshot(now));
    await waitFor('the snapshot on the reader', async () => reader.capacity('one'));
    await writer.put('one', snapshot(now + 500));
    await waitFor('the newer snapshot', async () =>
      (await reader.capacity('one'))?.readAt === now + 500 ? true : undefined,
    );
    now += 4_000;
    expect(await reader.capacity('one')).to.equal(undefined);
    await writer.retain(new Set());
    now -= 4_000;
    await waitFor('the forgotten cluster gone on the reader', async () =>
      (await reader.capacity('one')) === undefined ? true : undefined,
    );
    writer.close();
    reader.close();
  });

  it('shows the push-down status written on another replica', async () => {
    const store = new MemoryStore();
    const logger = createTestLogger();
    const board = () =>
      new StoreStatusBoard<RbacSyncStatus>({
        store,
        logger,
        collection: 'rbac-sync-status',
        label: 'rbac sync',
      });
    const writer = board();
    const reader = board();
    await writer.start();
    writer.put({ clusterId: 'one', lastAttemptAt: 5, lastSyncAt: 5, errors: [], changes: 2 });
    await reader.start();
    await waitFor('the status on the reader', () => reader.status('one'));
    writer.put({ clusterId: 'one', lastAttemptAt: 9, errors: ['refused'], changes: 0 });
    await waitFor('the newer status', () =>
      reader.status('one')?.lastAttemptAt === 9 ? true : undefined,
    );
    writer.remove('one');
    await waitFor('the removed status gone', () =>
      reader.statuses().length === 0 ? true : undefined,
    );
    writer.close();
    reader.close();
  });

  it('keeps the last of several statuses of one cluster written in a burst', async () => {
    const store = new MemoryStore();
    const board = new StoreStatusBoard<RbacSyncStatus>({
      store,
      logger: createTestLogger(),
      collection: 'rbac-sync-status',
      label: 'rbac sync',
    });
    await board.start();
    for (let i = 1; i <= 5; i++) {
      board.put({ clusterId: 'one', lastAttemptAt: i, errors: [], changes: i });
    }
    await board.flush();
    const stored = await store.collection<RbacSyncStatus>({ name: 'rbac-sync-status' }).get('one');
    expect(stored?.value.lastAttemptAt).to.equal(5);
    board.close();
  });
});
