/**
 * `paddock user create|disable|enable|reset-password <username>`: break-glass user management
 * on the configured store (embedded or Redis), beside a running server or without one. It acts
 * as the operator, so none of GraphQL's who-may-act-on-whom checks apply: it can re-enable or
 * reset a locked-out admin. On Redis a running server sees the change at once (pub/sub); on the
 * embedded store change events stay in the writing process, so a running server notices within
 * its token cache's age (30 s) and re-checks open streams after that.
 */
import { parseArgs } from 'node:util';
import type { Store } from '../domain/store.js';
import { hasErrorCode, isPaddockError } from '../errors/index.js';
import {
  generatePassword,
  LocalPasswordProvider,
  SessionRegistry,
  systemRuntime,
  type UserRecord,
  UserRepository,
} from '../identity/index.js';
import { openStore } from '../store/index.js';
import { type CliIo, exitCodes } from './cli-io.js';
import { readConfig } from './read-config.js';

const usage = `Usage: paddock user <command> <username> [flags]

Commands:
  create <username>          make a local user
  disable <username>         stop the user's logins, sessions, API keys and kubeconfig tokens
  enable <username>          let a disabled user log in again
  reset-password <username>  set a new local password and end the user's sessions

Flags (create, reset-password):
  --password-stdin           read the password from standard input
  --generate                 generate a password and print it once (the default)
  --must-change              the user must change it at the next login
  --display-name NAME        (create) the name shown in the UI

The store is the one 'paddock serve' uses (same configuration flags and environment).
`;

const FLAGS = {
  'password-stdin': { type: 'boolean' },
  generate: { type: 'boolean' },
  'must-change': { type: 'boolean' },
  'display-name': { type: 'string' },
} as const;

interface UserFlags {
  readonly passwordStdin: boolean;
  readonly generate: boolean;
  readonly mustChange: boolean;
  readonly displayName?: string;
}

type Subcommand = 'create' | 'disable' | 'enable' | 'reset-password';

interface Tools {
  readonly store: Store;
  readonly users: UserRepository;
  readonly local: LocalPasswordProvider;
  readonly sessions: SessionRegistry;
}

export async function userCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.stdout(usage);
    return sub === undefined ? exitCodes.usage : exitCodes.ok;
  }
  if (!['create', 'disable', 'enable', 'reset-password'].includes(sub)) {
    io.stderr(`paddock: unknown user command '${sub}'\n\n${usage}`);
    return exitCodes.usage;
  }
  const split = splitUserArgs(rest);
  if (typeof split === 'string') {
    io.stderr(`paddock: user ${sub}: ${split}\n`);
    return exitCodes.usage;
  }
  const { username, flags, configArgs } = split;
  if (flags.passwordStdin && flags.generate) {
    io.stderr(`paddock: user ${sub}: give --password-stdin or --generate, not both\n`);
    return exitCodes.usage;
  }
  const loaded = readConfig(`user ${sub}`, io, configArgs);
  if (typeof loaded === 'number') return loaded;
  let password: string | undefined;
  if (flags.passwordStdin && (sub === 'create' || sub === 'reset-password')) {
    if (io.readStdin === undefined) {
      io.stderr('paddock: standard input is not available\n');
      return exitCodes.usage;
    }
    password = (await io.readStdin()).replace(/\r?\n$/, '');
  }
  const { config } = loaded;
  const store = await openStore({
    redisUrl: config.redisUrl,
    dataDir: config.dataDir,
    keyPrefix: config.redisKeyPrefix,
    minFreeBytes: config.storeMinFreeMegabytes * 1024 * 1024,
    sweepIntervalMs: 0,
  });
  try {
    const users = new UserRepository(store);
    const tools: Tools = {
      store,
      users,
      local: new LocalPasswordProvider(users),
      sessions: new SessionRegistry(store),
    };
    return await run(io, tools, sub as Subcommand, username, flags, password);
  } catch (err) {
    io.stderr(`paddock: user ${sub} failed: ${describe(err)}\n`);
    return isPaddockError(err) && err.code === 'VALIDATION_FAILED'
      ? exitCodes.usage
      : exitCodes.failure;
  } finally {
    await store.close();
  }
}

async function run(
  io: CliIo,
  t: Tools,
  sub: Subcommand,
  username: string,
  flags: UserFlags,
  given: string | undefined,
): Promise<number> {
  const password = given ?? generatePassword(systemRuntime.randomBytes);
  const printGenerated = () => {
    if (given === undefined) io.stdout(`${password}\n`);
  };
  if (sub === 'create') {
    const user = await t.local.createUser({
      username,
      password,
      mustChangePassword: flags.mustChange,
      ...(flags.displayName === undefined ? {} : { displayName: flags.displayName }),
    });
    io.stderr(`paddock: created local user ${user.username} (${user.id})\n`);
    printGenerated();
    return exitCodes.ok;
  }
  const user = await t.users.findByUsername(username);
  if (user === undefined) {
    io.stderr(`paddock: no user named ${username}\n`);
    return exitCodes.failure;
  }
  switch (sub) {
    case 'disable': {
      await t.users.disable(user.id, 'admin');
      const ended = await endSessions(t, user, 'user_disabled');
      io.stderr(`paddock: disabled ${user.username}; ended ${ended} session(s)\n`);
      return exitCodes.ok;
    }
    case 'enable':
      await t.users.enable(user.id);
      io.stderr(`paddock: enabled ${user.username}\n`);
      return exitCodes.ok;
    case 'reset-password': {
      if (user.provider !== 'local') {
        io.stderr(
          `paddock: ${user.username} is a ${user.provider} user without a local password\n`,
        );
        return exitCodes.failure;
      }
      await t.local.setPassword(user.id, password, { mustChangePassword: flags.mustChange });
      const ended = await endSessions(t, user, 'password_reset');
      io.stderr(`paddock: reset the password of ${user.username}; ended ${ended} session(s)\n`);
      printGenerated();
      return exitCodes.ok;
    }
    default:
      return exitCodes.usage;
  }
}

/** Through the revocation list, so a running server closes the user's streams. */
async function endSessions(t: Tools, user: UserRecord, reason: string): Promise<number> {
  await t.users.revokeAllSessions(user.id);
  return t.sessions.revokeAllOf(user.id, reason);
}

/** Takes the username and this command's flags out; the rest is configuration. */
function splitUserArgs(
  argv: readonly string[],
): { username: string; flags: UserFlags; configArgs: string[] } | string {
  const { values, tokens } = parseArgs({
    args: [...argv],
    options: FLAGS,
    strict: false,
    tokens: true,
    allowPositionals: true,
  });
  const used = new Set<number>();
  let username: string | undefined;
  for (const t of tokens ?? []) {
    if (t.kind === 'option' && t.name in FLAGS) {
      used.add(t.index);
      if (t.name === 'display-name' && !t.inlineValue && t.value !== undefined) {
        used.add(t.index + 1);
      }
    } else if (t.kind === 'positional' && username === undefined) {
      username = t.value;
      used.add(t.index);
    }
  }
  if (username === undefined || username === '') return 'needs a username';
  const displayName = values['display-name'];
  if (values['display-name'] !== undefined && typeof displayName !== 'string') {
    return '--display-name needs a value';
  }
  return {
    username,
    flags: {
      passwordStdin: values['password-stdin'] === true,
      generate: values.generate === true,
      mustChange: values['must-change'] === true,
      ...(typeof displayName === 'string' ? { displayName } : {}),
    },
    configArgs: argv.filter((_, i) => !used.has(i)),
  };
}

function describe(err: unknown): string {
  if (hasErrorCode(err, 'CONFLICT')) return 'that username is taken';
  return err instanceof Error ? err.message : String(err);
}
