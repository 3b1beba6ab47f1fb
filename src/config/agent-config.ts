/**
 * `paddock agent`'s settings: flags over `PADDOCK_AGENT_*` environment variables over the
 * in-cluster defaults (the API server from `KUBERNETES_SERVICE_HOST`/`_PORT`, the cluster CA
 * from the service-account volume, the two account tokens from the Secrets the import
 * manifest mounts). Validated once; a bad value is a `ConfigError` naming it.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error.js';

export interface AgentConfig {
  /** Paddock's URL (`https://paddock.example.com`); the agent dials `<server>/v1/connect`. */
  readonly server: string;
  /** The registration token itself, or the file it is read from (at every connect). */
  readonly token?: string;
  readonly tokenFile?: string;
  /** CA to trust for Paddock's certificate; absent = the system's roots. */
  readonly serverCaFile?: string;
  /** `https://host:port` of the API server inside the cluster. */
  readonly apiServer: string;
  readonly apiCaFile: string;
  readonly apiServerName?: string;
  readonly impersonatorTokenFile: string;
  readonly managerTokenFile: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** First and longest wait before reconnecting; waits double in between, with jitter. */
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
  /**
   * How the WebSocket carries the tunnel (ADR 0022): `stream` (one endless message each way,
   * the fast default) or `messages` (a message per write, for proxies that hold messages whole).
   */
  readonly tunnelFraming: 'stream' | 'messages';
}

export const AGENT_DEFAULTS = {
  apiCaFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
  impersonatorTokenFile: '/var/run/secrets/paddock/impersonator/token',
  managerTokenFile: '/var/run/secrets/paddock/manager/token',
  logLevel: 'info',
  reconnectMinMs: 500,
  reconnectMaxMs: 30_000,
  tunnelFraming: 'stream',
} as const;

interface KeySpec {
  readonly key: keyof AgentConfig;
  readonly flag: string;
  readonly env: string;
  readonly schema: z.ZodType;
  readonly form: string;
  readonly help: string;
  readonly secret?: boolean;
}

const httpsUrl = z
  .string()
  .url()
  .regex(/^https:\/\//, 'must start with https://');
const path = z.string().min(1);
const millis = z.coerce.number().int().min(10).max(3_600_000);

const keys: readonly KeySpec[] = [
  {
    key: 'server',
    flag: 'server',
    env: 'PADDOCK_AGENT_SERVER',
    schema: httpsUrl,
    form: 'an https URL',
    help: "Paddock's URL",
  },
  {
    key: 'token',
    flag: 'token',
    env: 'PADDOCK_AGENT_TOKEN',
    schema: z.string().min(1),
    form: 'a pdkagent_ token',
    help: 'registration token (prefer --token-file)',
    secret: true,
  },
  {
    key: 'tokenFile',
    flag: 'token-file',
    env: 'PADDOCK_AGENT_TOKEN_FILE',
    schema: path,
    form: 'a file path',
    help: 'file holding the registration token',
  },
  {
    key: 'serverCaFile',
    flag: 'server-ca-file',
    env: 'PADDOCK_AGENT_SERVER_CA_FILE',
    schema: path,
    form: 'a file path',
    help: "CA of Paddock's certificate (default: system roots)",
  },
  {
    key: 'apiServer',
    flag: 'api-server',
    env: 'PADDOCK_AGENT_API_SERVER',
    schema: httpsUrl,
    form: 'an https URL',
    help: 'API server inside the cluster (default: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT)',
  },
  {
    key: 'apiCaFile',
    flag: 'api-ca-file',
    env: 'PADDOCK_AGENT_API_CA_FILE',
    schema: path,
    form: 'a file path',
    help: `cluster CA (default ${AGENT_DEFAULTS.apiCaFile})`,
  },
  {
    key: 'apiServerName',
    flag: 'api-server-name',
    env: 'PADDOCK_AGENT_API_SERVER_NAME',
    schema: z.string().min(1),
    form: 'a DNS name',
    help: "name in the API server's certificate, if not its address",
  },
  {
    key: 'impersonatorTokenFile',
    flag: 'impersonator-token-file',
    env: 'PADDOCK_AGENT_IMPERSONATOR_TOKEN_FILE',
    schema: path,
    form: 'a file path',
    help: `impersonator token (default ${AGENT_DEFAULTS.impersonatorTokenFile})`,
  },
  {
    key: 'managerTokenFile',
    flag: 'manager-token-file',
    env: 'PADDOCK_AGENT_MANAGER_TOKEN_FILE',
    schema: path,
    form: 'a file path',
    help: `manager token (default ${AGENT_DEFAULTS.managerTokenFile})`,
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    env: 'PADDOCK_AGENT_LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    form: 'fatal, error, warn, info, debug, trace or silent',
    help: 'log level (default info)',
  },
  {
    key: 'reconnectMinMs',
    flag: 'reconnect-min-ms',
    env: 'PADDOCK_AGENT_RECONNECT_MIN_MS',
    schema: millis,
    form: 'milliseconds from 10 to 3600000',
    help: 'first wait before reconnecting (default 500)',
  },
  {
    key: 'reconnectMaxMs',
    flag: 'reconnect-max-ms',
    env: 'PADDOCK_AGENT_RECONNECT_MAX_MS',
    schema: millis,
    form: 'milliseconds from 10 to 3600000',
    help: 'longest wait before reconnecting (default 30000)',
  },
  {
    key: 'tunnelFraming',
    flag: 'tunnel-framing',
    env: 'PADDOCK_AGENT_TUNNEL_FRAMING',
    schema: z.enum(['stream', 'messages']),
    form: 'stream or messages',
    help:
      'how the WebSocket carries the tunnel (default stream; messages for a proxy that ' +
      'holds WebSocket messages whole)',
  },
];

/** `--help` text of `paddock agent`. */
export function agentConfigHelp(): string {
  const lines = keys.map((k) => `  --${k.flag.padEnd(24)} ${k.env}\n      ${k.help}`);
  return `Usage: paddock agent [flags]

Runs inside a downstream cluster and opens the tunnel through which Paddock reaches its API
server (deployed by the import manifest of an agent import).

${lines.join('\n')}
`;
}

/** Reads and validates the agent's settings; throws `ConfigError` naming every bad value. */
export function loadAgentConfig(input: {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}): { readonly config: AgentConfig; readonly help: boolean } {
  const problems: ConfigProblem[] = [];
  let flags: Record<string, string | boolean | undefined> = {};
  try {
    flags = parseArgs({
      args: [...input.argv],
      options: {
        ...Object.fromEntries(keys.map((k) => [k.flag, { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    problems.push({ key: 'flags', source: 'command line', message: (err as Error).message });
  }
  const values: Record<string, unknown> = {};
  for (const k of keys) {
    const fromFlag = flags[k.flag];
    const raw = typeof fromFlag === 'string' ? fromFlag : input.env[k.env];
    if (raw === undefined || raw === '') continue;
    const parsed = k.schema.safeParse(raw);
    if (parsed.success) values[k.key] = parsed.data;
    else {
      problems.push({
        key: k.key,
        source: typeof fromFlag === 'string' ? `--${k.flag}` : k.env,
        message: `${k.secret ? '<secret>' : JSON.stringify(raw)} is invalid; expected ${k.form}`,
      });
    }
  }
  const help = flags.help === true;
  if (values.apiServer === undefined) {
    const host = input.env.KUBERNETES_SERVICE_HOST;
    const port = input.env.KUBERNETES_SERVICE_PORT ?? '443';
    if (host !== undefined && host !== '') {
      values.apiServer = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
    }
  }
  if (!help) {
    if (values.server === undefined) {
      problems.push({
        key: 'server',
        source: '--server / PADDOCK_AGENT_SERVER',
        message: "is required: Paddock's URL",
      });
    }
    if (values.token === undefined && values.tokenFile === undefined) {
      problems.push({
        key: 'token',
        source: '--token-file / PADDOCK_AGENT_TOKEN_FILE',
        message: 'is required: the registration token',
      });
    }
    if (values.apiServer === undefined) {
      problems.push({
        key: 'apiServer',
        source: '--api-server / KUBERNETES_SERVICE_HOST',
        message: 'is required outside a cluster',
      });
    }
  }
  const min = (values.reconnectMinMs as number | undefined) ?? AGENT_DEFAULTS.reconnectMinMs;
  const max = (values.reconnectMaxMs as number | undefined) ?? AGENT_DEFAULTS.reconnectMaxMs;
  if (min > max) {
    problems.push({
      key: 'reconnectMinMs',
      source: '--reconnect-min-ms',
      message: `must not exceed reconnect-max-ms (${max})`,
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    help,
    config: {
      ...AGENT_DEFAULTS,
      ...values,
      server: String(values.server ?? '').replace(/\/+$/, ''),
      apiServer: String(values.apiServer ?? ''),
      reconnectMinMs: min,
      reconnectMaxMs: max,
    } as AgentConfig,
  };
}
