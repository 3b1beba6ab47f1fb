import { parseArgs } from 'node:util';
import type { PaddockConfig } from '../config/index.js';
import type { Store } from '../domain/store.js';
import {
  type BackupKeyBundle,
  backupToFile,
  openBackupKeys,
  openStore,
  restoreFromFile,
  sealBackupKeys,
} from '../store/index.js';
import { checkRestoreKeys, checkRestoreSchema, installRestoredKeys } from './backup-keys-check.js';
import { type CliIo, exitCodes } from './cli-io.js';
import { allCollectionSpecs } from './collection-specs.js';
import { describeError } from './describe-error.js';
import { readConfig } from './read-config.js';
import { loadServerKeys } from './server-keys.js';

interface FileCommand {
  readonly config: PaddockConfig;
  readonly file: string;
  /** `--keys`: the server keys travel in the backup, sealed under a passphrase. */
  readonly keys: boolean;
  readonly passphraseStdin: boolean;
}

/**
 * `paddock backup --out FILE [--keys]`: every live record of the configured store, as JSON
 * Lines with checksums; with `--keys` also the server keys, sealed under the passphrase
 * (PADDOCK_BACKUP_PASSPHRASE or `--passphrase-stdin`).
 */
export async function backupCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const command = parseCommand(io, argv, 'backup', 'out');
  if (typeof command === 'number') return command;
  return withStore(io, 'backup', command.config, async (store) => {
    const sealed = command.keys
      ? await sealBackupKeys(await currentKeys(command.config), await passphrase(io, command))
      : undefined;
    const summary = await backupToFile(store, command.file, sealed ? { keys: sealed } : {});
    io.stdout(
      `paddock: wrote ${summary.records} records${sealed ? ' and the server keys (sealed under the passphrase)' : ''} to ${summary.path}\n`,
    );
  });
}

/**
 * `paddock restore --in FILE [--keys]`: checks the whole file and whether this Paddock's keys
 * open what it holds (or, with `--keys`, opens the backup's own), then replaces the store's
 * content; nothing is written when any check fails.
 */
export async function restoreCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const command = parseCommand(io, argv, 'restore', 'in');
  if (typeof command === 'number') return command;
  return withStore(io, 'restore', command.config, async (store) => {
    let restoredKeys: BackupKeyBundle | undefined;
    const count = await restoreFromFile(store, command.file, allCollectionSpecs, {
      check: async (contents) => {
        if (command.keys) {
          if (contents.header.keys === undefined) {
            throw new Error(
              `${command.file} holds no keys (it was made without --keys); nothing was restored`,
            );
          }
          restoredKeys = await openBackupKeys(contents.header.keys, await passphrase(io, command));
        }
        checkRestoreSchema(contents);
        await checkRestoreKeys(command.config, contents, restoredKeys);
      },
    });
    io.stdout(`paddock: restored ${count} records from ${command.file}\n`);
    if (restoredKeys !== undefined) {
      for (const line of await installRestoredKeys(command.config, restoredKeys)) {
        io.stdout(`paddock: ${line}\n`);
      }
    }
  });
}

async function currentKeys(config: PaddockConfig): Promise<BackupKeyBundle> {
  const keys = await loadServerKeys(config, { create: false });
  return {
    encryptionKey: keys.encryptionKey,
    previousEncryptionKeys: keys.previousEncryptionKeys,
    apiKeyPepper: keys.apiKeyPepper,
  };
}

async function passphrase(io: CliIo, command: FileCommand): Promise<string> {
  if (command.passphraseStdin) {
    if (io.readStdin === undefined)
      throw new Error('--passphrase-stdin: there is no standard input');
    return (await io.readStdin()).split(/\r?\n/)[0] ?? '';
  }
  if (command.config.backupPassphrase !== undefined) return command.config.backupPassphrase;
  throw new Error(
    '--keys needs a passphrase: set PADDOCK_BACKUP_PASSPHRASE or pass --passphrase-stdin',
  );
}

/** Opens the store and runs `run`; any failure is one line on stderr and status 1. */
async function withStore(
  io: CliIo,
  name: string,
  config: PaddockConfig,
  run: (store: Store) => Promise<void>,
): Promise<number> {
  let store: Store | undefined;
  try {
    store = await openStore({
      redisUrl: config.redisUrl,
      dataDir: config.dataDir,
      keyPrefix: config.redisKeyPrefix,
      minFreeBytes: config.storeMinFreeMegabytes * 1024 * 1024,
      sweepIntervalMs: 0,
    });
    await run(store);
    return exitCodes.ok;
  } catch (err) {
    io.stderr(`paddock: ${name} failed: ${describeError(err)}\n`);
    return exitCodes.failure;
  } finally {
    await store?.close().catch(() => undefined);
  }
}

function parseCommand(
  io: CliIo,
  argv: readonly string[],
  name: string,
  fileFlag: 'in' | 'out',
): FileCommand | number {
  const own = { [fileFlag]: { type: 'string' }, keys: { type: 'boolean' } } as const;
  const { values, tokens } = parseArgs({
    args: [...argv],
    options: { ...own, 'passphrase-stdin': { type: 'boolean' } },
    strict: false,
    tokens: true,
    allowPositionals: true,
  });
  const used = new Set<number>();
  for (const t of tokens ?? []) {
    if (t.kind !== 'option' || !['keys', 'passphrase-stdin', fileFlag].includes(t.name)) continue;
    used.add(t.index);
    if (t.name === fileFlag && !t.inlineValue && t.value !== undefined) used.add(t.index + 1);
  }
  const loaded = readConfig(
    name,
    io,
    argv.filter((_, i) => !used.has(i)),
  );
  if (typeof loaded === 'number') return loaded;
  const file = values[fileFlag];
  if (typeof file !== 'string') {
    io.stderr(`paddock: ${name} needs --${fileFlag} FILE\n`);
    return exitCodes.usage;
  }
  return {
    config: loaded.config,
    file,
    keys: values.keys === true,
    passphraseStdin: values['passphrase-stdin'] === true,
  };
}
