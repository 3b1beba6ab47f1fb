/**
 * A child process for crash and multi-process tests (run the compiled .js with node):
 *   store-writer.js write <dataDir> [redisUrl keyPrefix]  – writes records in 4 parallel loops
 *        and prints each id once its write is acknowledged; runs until killed.
 *   store-writer.js backup <dataDir> <file>  – backs up an embedded store (while another
 *        process has it open) and prints the record count.
 *   store-writer.js churn <dataDir> <fillerFile> <leaveBytes> [storeModule] – fills the disk
 *        of dataDir with fillerFile until about leaveBytes are free, creates, updates and
 *        deletes records at once for a while, frees the disk and writes once more; prints a
 *        JSON summary. With storeModule, that build's EmbeddedStore is used instead.
 */
import { backupToFile, openStore } from '../../src/store/index.js';

const [command, dataDir, third, fourth] = process.argv.slice(2);
if (dataDir === undefined) throw new Error('usage: store-writer.js write|backup <dataDir> ...');

if (command === 'write') {
  const store = await openStore({
    dataDir,
    ...(third === undefined ? {} : { redisUrl: third }),
    ...(fourth === undefined ? {} : { keyPrefix: fourth }),
    sweepIntervalMs: 0,
  });
  const records = store.collection<{ n: number; pad: string }>({ name: 'crash' });
  let next = 0;
  const pad = 'x'.repeat(200);
  const loop = async (): Promise<never> => {
    for (;;) {
      const id = `rec-${String(next++).padStart(6, '0')}`;
      try {
        await records.create(id, { n: next, pad });
        process.stdout.write(`${id}\n`);
      } catch (error) {
        // Expected while the backend is down; the parent only counts acknowledged writes.
        process.stderr.write(`${id} failed: ${String(error)}\n`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  await Promise.all([loop(), loop(), loop(), loop()]);
} else if (command === 'backup' && third !== undefined) {
  const store = await openStore({ dataDir, sweepIntervalMs: 0 });
  const summary = await backupToFile(store, third);
  await store.close();
  process.stdout.write(`${summary.records}\n`);
} else if (command === 'churn' && third !== undefined && fourth !== undefined) {
  await churn(dataDir, third, Number(fourth), process.argv[6]);
} else {
  throw new Error(`unknown command ${String(command)}`);
}

async function churn(dir: string, filler: string, leaveBytes: number, storeModule?: string) {
  const { statfsSync } = await import('node:fs');
  const { open, rm } = await import('node:fs/promises');
  const embedded = (await import(
    storeModule ?? '../../src/store/embedded/embedded-store.js'
  )) as typeof import('../../src/store/embedded/embedded-store.js');
  // PADDOCK_TEST_MIN_FREE_BYTES=0: no reserve, LMDB meets the full disk itself.
  const minFreeBytes = Number(process.env.PADDOCK_TEST_MIN_FREE_BYTES ?? 512 * 1024);
  const store = embedded.EmbeddedStore.open({ dataDir: dir, sweepIntervalMs: 0, minFreeBytes });
  const records = store.collection<{ k: string; big: string }>({
    name: 'churn',
    indexes: { byK: { key: (v) => v.k } },
  });
  const big = (c: string) => c.repeat(3000);
  for (let i = 0; i < 50; i++) await records.create(`seed-${i}`, { k: `s${i}`, big: big('x') });
  const file = await open(filler, 'a');
  for (;;) {
    const s = statfsSync(dir);
    const free = s.bavail * s.bsize;
    if (free <= leaveBytes) break;
    try {
      await file.write(Buffer.alloc(Math.min(65536, free - leaveBytes)));
    } catch {
      break;
    }
  }
  await file.close();
  const failures: Record<string, number> = {};
  let ok = 0;
  for (let round = 0; round < 400; round++) {
    try {
      await Promise.all([
        records.create(`r-${round}`, { k: `r${round}`, big: big('y') }),
        records.update(`seed-${round % 50}`, { k: `s${round}`, big: big('z') }),
        records.delete(`r-${round - 3}`),
      ]);
      ok++;
    } catch (error) {
      const e = error as { code?: string; reason?: string };
      const key = `${e.code ?? 'unknown'}/${e.reason ?? '-'}`;
      failures[key] = (failures[key] ?? 0) + 1;
    }
  }
  await rm(filler);
  let recovered = false;
  for (let attempt = 0; attempt < 50 && !recovered; attempt++) {
    try {
      await records.create(`after-${attempt}`, { k: 'after', big: 'ok' });
      recovered = true;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const seeds = (await records.list()).filter((r) => r.id.startsWith('seed-')).length;
  await store.close();
  process.stdout.write(`${JSON.stringify({ ok, failures, recovered, seeds })}\n`);
}
