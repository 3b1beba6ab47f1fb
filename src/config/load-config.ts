import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { type ConfigKeyDefinition, configKeys } from './config-keys.js';
import type { PaddockConfig } from './paddock-config.js';

/** YAML top-level sections owned by other modules (identity providers, clusters, settings). */
export const configSections = ['auth', 'clusters', 'settings'] as const;

export interface LoadConfigInput {
  /** Command-line arguments after the command name. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads the YAML file named by `--config` / `PADDOCK_CONFIG`. */
  readonly readFile: (path: string) => string;
}

export interface LoadedConfig {
  readonly config: PaddockConfig;
  /** Positional arguments left after the flags. */
  readonly positionals: readonly string[];
  readonly help: boolean;
  /** Non-fatal findings, e.g. an unknown PADDOCK_* variable (likely a typo). */
  readonly warnings: readonly string[];
}

type Source = 'flag' | 'env' | 'file' | 'default';

/** Merges flags over environment over YAML file over defaults and validates the result once. */
export function loadConfig(input: LoadConfigInput): LoadedConfig {
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const flags = readFlags(input.argv, problems);
  const flagPath = flags.values.config;
  const configPath = typeof flagPath === 'string' ? flagPath : input.env.PADDOCK_CONFIG;
  const file = configPath === undefined ? {} : readYamlFile(configPath, input.readFile, problems);

  const values: Record<string, unknown> = {};
  const sources: Record<string, Source> = {};
  for (const def of configKeys as readonly ConfigKeyDefinition[]) {
    const picked = pick(def, flags.values, input.env, file);
    if (picked === undefined) continue;
    const parsed = def.schema.safeParse(picked.raw);
    if (parsed.success) {
      values[def.key] = parsed.data;
      sources[def.key] = picked.source;
    } else {
      const shown = def.secret ? '<secret>' : JSON.stringify(picked.raw);
      const why = parsed.error.issues.map((i) => i.message).join('; ');
      problems.push({
        key: def.key,
        source: sourceName(def, picked.source),
        message: `${shown} is invalid (${why}); expected ${def.form}`,
      });
    }
  }
  checkPairs(values, problems);
  for (const name of Object.keys(input.env)) {
    if (name.startsWith('PADDOCK_') && !knownEnv.has(name)) {
      warnings.push(`unknown environment variable ${name} is ignored`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const sections: Record<string, unknown> = {};
  for (const name of configSections) if (file[name] !== undefined) sections[name] = file[name];
  const kubeconfigFiles = (input.env.KUBECONFIG ?? `${input.env.HOME ?? '.'}/.kube/config`)
    .split(':')
    .filter((f) => f !== '');
  const config = { ...values, kubeconfigFiles, sections, sources } as unknown as PaddockConfig;
  return { config, positionals: flags.positionals, help: flags.values.help === true, warnings };
}

const knownEnv = new Set<string>([
  ...configKeys.map((d) => d.env),
  'PADDOCK_CONFIG',
  'PADDOCK_TEST_OUT_DIR',
]);

interface Flags {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

function readFlags(argv: readonly string[], problems: ConfigProblem[]): Flags {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    config: { type: 'string', short: 'c' },
    help: { type: 'boolean', short: 'h' },
  };
  for (const def of configKeys as readonly ConfigKeyDefinition[]) {
    options[def.flag] = { type: def.boolean ? 'boolean' : 'string' };
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: true,
      allowNegative: true,
    });
    return { values: values as Flags['values'], positionals };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    problems.push({ key: 'flags', source: 'command line', message });
    return { values: {}, positionals: [] };
  }
}

function readYamlFile(
  path: string,
  readFile: (path: string) => string,
  problems: ConfigProblem[],
): Record<string, unknown> {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    problems.push({
      key: 'config',
      source: `config file ${path}`,
      message: `cannot read: ${message}`,
    });
    return {};
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    problems.push({
      key: 'config',
      source: `config file ${path}`,
      message: `not valid YAML: ${message}`,
    });
    return {};
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    problems.push({
      key: 'config',
      source: `config file ${path}`,
      message: 'must be a YAML mapping',
    });
    return {};
  }
  const known = new Set<string>([...configKeys.map((d) => d.key), ...configSections]);
  for (const key of Object.keys(doc)) {
    if (!known.has(key)) {
      problems.push({
        key,
        source: `config file ${path}, key ${key}`,
        message: `unknown key; known keys are ${[...known].join(', ')}`,
      });
    }
  }
  return doc as Record<string, unknown>;
}

function pick(
  def: ConfigKeyDefinition,
  flags: Flags['values'],
  env: LoadConfigInput['env'],
  file: Record<string, unknown>,
): { raw: unknown; source: Source } | undefined {
  const flag = flags[def.flag];
  if (flag !== undefined) return { raw: flag, source: 'flag' };
  const fromEnv = env[def.env];
  if (fromEnv !== undefined && fromEnv !== '') return { raw: fromEnv, source: 'env' };
  if (file[def.key] !== undefined) return { raw: file[def.key], source: 'file' };
  if (def.defaultValue !== undefined) return { raw: def.defaultValue, source: 'default' };
  return undefined;
}

function sourceName(def: ConfigKeyDefinition, source: Source): string {
  switch (source) {
    case 'flag':
      return `--${def.flag}`;
    case 'env':
      return def.env;
    case 'file':
      return `config file key ${def.key}`;
    case 'default':
      return `default of ${def.key}`;
  }
}

function checkPairs(values: Record<string, unknown>, problems: ConfigProblem[]): void {
  const hasCert = values.tlsCertFile !== undefined;
  const hasKey = values.tlsKeyFile !== undefined;
  if (hasCert !== hasKey) {
    problems.push({
      key: hasCert ? 'tlsKeyFile' : 'tlsCertFile',
      source: hasCert ? 'PADDOCK_TLS_KEY_FILE' : 'PADDOCK_TLS_CERT_FILE',
      message: 'is missing; the TLS certificate and key must be configured together',
    });
  }
}
