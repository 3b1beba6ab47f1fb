import { readFileSync } from 'node:fs';
import { ConfigError, configHelp, type LoadedConfig, loadConfig } from '../config/index.js';
import { type CliIo, exitCodes } from './cli-io.js';

/** Loads the configuration for a command, or returns the exit code after printing why not. */
export function readConfig(
  command: string,
  io: CliIo,
  argv: readonly string[],
): LoadedConfig | number {
  try {
    const loaded = loadConfig({ argv, env: io.env, readFile: (p) => readFileSync(p, 'utf8') });
    if (loaded.help) {
      io.stdout(`${configHelp(command)}\n`);
      return exitCodes.ok;
    }
    for (const warning of loaded.warnings) io.stderr(`paddock: warning: ${warning}\n`);
    return loaded;
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`paddock: ${err.message}\nRun 'paddock ${command} --help' for every setting.\n`);
      return exitCodes.usage;
    }
    throw err;
  }
}
