import { parseArgs } from 'node:util';
import { backupToFile, openStore, restoreFromFile } from '../store/index.js';
import { type CliIo, exitCodes } from './cli-io.js';
import { allCollectionSpecs } from './collection-specs.js';
import { readConfig } from './read-config.js';

/** `paddock backup --out FILE`: every live record of the configured store, as JSON Lines. */
export function backupCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  return withStoreFile(io, argv, 'backup', 'out', async (store, file) => {
    const summary = await backupToFile(store, file);
    io.stdout(`paddock: wrote ${summary.records} records to ${summary.path}\n`);
  });
}

/** `paddock restore --in FILE`: validates the whole file, then replaces the store's content. */
export function restoreCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  return withStoreFile(io, argv, 'restore', 'in', async (store, file) => {
    const count = await restoreFromFile(store, file, allCollectionSpecs);
    io.stdout(`paddock: restored ${count} records from ${file}\n`);
  });
}

async function withStoreFile(
  io: CliIo,
  argv: readonly string[],
  command: string,
  fileFlag: 'in' | 'out',
  run: (store: Awaited<ReturnType<typeof openStore>>, file: string) => Promise<void>,
): Promise<number> {
  const { file, rest } = splitFileFlag(argv, fileFlag);
  const loaded = readConfig(command, io, rest);
  if (typeof loaded === 'number') return loaded;
  if (file === undefined) {
    io.stderr(`paddock: ${command} needs --${fileFlag} FILE\n`);
    return exitCodes.usage;
  }
  const { config } = loaded;
  const store = await openStore({
    redisUrl: config.redisUrl,
    dataDir: config.dataDir,
    keyPrefix: config.redisKeyPrefix,
    minFreeBytes: config.storeMinFreeMegabytes * 1024 * 1024,
  });
  try {
    await run(store, file);
    return exitCodes.ok;
  } catch (err) {
    io.stderr(`paddock: ${command} failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return exitCodes.failure;
  } finally {
    await store.close();
  }
}

function splitFileFlag(
  argv: readonly string[],
  name: 'in' | 'out',
): { file: string | undefined; rest: string[] } {
  const { values, tokens } = parseArgs({
    args: [...argv],
    options: { [name]: { type: 'string' } },
    strict: false,
    tokens: true,
    allowPositionals: true,
  });
  const used = new Set<number>();
  for (const t of tokens ?? []) {
    if (t.kind === 'option' && t.name === name) {
      used.add(t.index);
      if (!t.inlineValue && t.value !== undefined) used.add(t.index + 1);
    }
  }
  const file = values[name];
  return {
    file: typeof file === 'string' ? file : undefined,
    rest: argv.filter((_, i) => !used.has(i)),
  };
}
