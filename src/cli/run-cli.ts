import { backupCommand, restoreCommand } from './backup-commands.js';
import { type CliIo, exitCodes } from './cli-io.js';
import { kubeconfigCommand } from './kubeconfig-command.js';
import { packageVersion } from './package-version.js';
import { reencryptCommand } from './reencrypt-command.js';
import { serveCommand } from './serve-command.js';
import { userCommand } from './user-commands.js';

const usage = `Usage: paddock <command> [flags]

Commands:
  serve                 run the gateway (default)
  backup --out FILE     write every record of the store to FILE (JSON Lines, checksummed);
                        --keys adds the server keys sealed under PADDOCK_BACKUP_PASSPHRASE
                        (or --passphrase-stdin)
  restore --in FILE     replace the store's content with FILE, after checking all of it and
                        that its secrets will open; --keys restores the keys it carries
  reencrypt             re-seal every secret at rest under PADDOCK_ENCRYPTION_KEY
  kubeconfig            log in to a running Paddock and write a kubeconfig
  user                  create, disable, enable a user or reset its password (break-glass)
  version               print the version

Run 'paddock <command> --help' for the settings of a command.
`;

/** Dispatches `paddock <command>`; resolves to the process exit status. */
export async function runCli(io: CliIo): Promise<number> {
  const [first, ...rest] = io.argv;
  const command = first === undefined || first.startsWith('-') ? 'serve' : first;
  const argv = command === first ? rest : io.argv;
  switch (command) {
    case 'serve':
      return serveCommand(io, argv);
    case 'backup':
      return backupCommand(io, argv);
    case 'restore':
      return restoreCommand(io, argv);
    case 'reencrypt':
      return reencryptCommand(io, argv);
    case 'kubeconfig':
      return kubeconfigCommand(io, argv);
    case 'user':
      return userCommand(io, argv);
    case 'version':
      io.stdout(`${packageVersion()}\n`);
      return exitCodes.ok;
    case 'help':
      io.stdout(usage);
      return exitCodes.ok;
    default:
      io.stderr(`paddock: unknown command '${command}'\n\n${usage}`);
      return exitCodes.usage;
  }
}
