import { type CliIo, exitCodes } from './cli-io.js';
import { packageVersion } from './package-version.js';

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
  agent                 run inside a cluster Paddock cannot dial, and open a tunnel to Paddock
  version               print the version

Run 'paddock <command> --help' for the settings of a command.
`;

/** Dispatches `paddock <command>`; resolves to the process exit status. */
export async function runCli(io: CliIo): Promise<number> {
  const [first, ...rest] = io.argv;
  const command = first === undefined || first.startsWith('-') ? 'serve' : first;
  const argv = command === first ? rest : io.argv;
  // Each command is loaded when run: `paddock agent`, in a small pod, starts without
  // loading the server's modules.
  switch (command) {
    case 'serve':
      return (await import('./serve-command.js')).serveCommand(io, argv);
    case 'backup':
      return (await import('./backup-commands.js')).backupCommand(io, argv);
    case 'restore':
      return (await import('./backup-commands.js')).restoreCommand(io, argv);
    case 'reencrypt':
      return (await import('./reencrypt-command.js')).reencryptCommand(io, argv);
    case 'kubeconfig':
      return (await import('./kubeconfig-command.js')).kubeconfigCommand(io, argv);
    case 'user':
      return (await import('./user-commands.js')).userCommand(io, argv);
    case 'agent':
      return (await import('../agent/index.js')).agentCommand(io, argv, packageVersion());
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
