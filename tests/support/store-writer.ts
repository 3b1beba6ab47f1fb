/**
 * A child process for crash and multi-process tests (run the compiled .js with node):
 *   store-writer.js write <dataDir> [redisUrl keyPrefix]  – writes records in 4 parallel loops
 *        and prints each id once its write is acknowledged; runs until killed.
 *   store-writer.js backup <dataDir> <file>  – backs up an embedded store (while another
 *        process has it open) and prints the record count.
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
} else {
  throw new Error(`unknown command ${String(command)}`);
}
