import { type ConfigKeyDefinition, configKeys } from './config-keys.js';

/** The `--help` text: every key with its flag, variable, accepted form and default. */
export function configHelp(command: string): string {
  const lines = [
    `Usage: paddock ${command} [flags]`,
    '',
    'Each setting is read from a flag, else a PADDOCK_* environment variable, else the YAML file',
    'given by --config / PADDOCK_CONFIG, else its default.',
    '',
    '  --config, -c FILE            PADDOCK_CONFIG          YAML configuration file',
  ];
  for (const def of configKeys as readonly ConfigKeyDefinition[]) {
    const flag = `--${def.flag}${def.boolean ? '' : ' VALUE'}`.padEnd(28);
    const env = def.env.padEnd(31);
    const fallback = def.defaultValue === undefined ? '' : ` (default ${String(def.defaultValue)})`;
    const secret = def.secret ? ' [secret]' : '';
    lines.push(`  ${flag} ${env} ${def.description}${fallback}${secret}`);
    lines.push(`  ${''.padEnd(28)} ${''.padEnd(31)} accepted: ${def.form}`);
  }
  lines.push('  --help, -h                                           show this text');
  return lines.join('\n');
}
