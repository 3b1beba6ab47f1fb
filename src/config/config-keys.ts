import { z } from 'zod';

/** How one configuration key is read: its flag, environment variable, YAML key and schema. */
export interface ConfigKeyDefinition {
  /** Camel-case key, also the YAML key. */
  readonly key: string;
  readonly env: string;
  readonly flag: string;
  readonly schema: z.ZodType;
  /** Accepted form, shown in errors and `--help`. */
  readonly form: string;
  readonly description: string;
  readonly defaultValue?: string | number | boolean;
  /** Never printed: errors and `--help` show `<secret>` instead of the value. */
  readonly secret?: boolean;
  readonly boolean?: boolean;
}

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes' || v === 'on');
const nonEmpty = z.string().min(1);
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const redisUrl = z
  .string()
  .regex(/^(rediss?|redis\+sentinel|redis\+cluster):\/\/\S+$/, 'not a Redis URL');
/** `30s`, `15m`, `6h`, `60d`: milliseconds. */
const duration = z
  .string()
  .regex(/^[1-9][0-9]*(s|m|h|d)$/, 'a whole number followed by s, m, h or d')
  .transform((v) => {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[v.slice(-1) as 's'];
    return Number(v.slice(0, -1)) * unit;
  });
const httpsUrl = z
  .string()
  .url()
  .regex(/^https?:\/\//, 'must start with https:// or http://');

/** Every key Paddock reads, in the order `--help` lists them. */
export const configKeys = [
  {
    key: 'port',
    env: 'PADDOCK_PORT',
    flag: 'port',
    schema: port,
    form: 'an integer from 1 to 65535',
    description: 'TCP port of the one listener',
    defaultValue: 8443,
  },
  {
    key: 'bind',
    env: 'PADDOCK_BIND',
    flag: 'bind',
    schema: z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]),
    form: 'an IPv4 or IPv6 address, or localhost',
    description: 'address to listen on',
    defaultValue: '0.0.0.0',
  },
  {
    key: 'dataDir',
    env: 'PADDOCK_DATA_DIR',
    flag: 'data-dir',
    schema: nonEmpty,
    form: 'a directory path',
    description: 'embedded store, generated CA and keys',
    defaultValue: './data',
  },
  {
    key: 'redisUrl',
    env: 'PADDOCK_REDIS_URL',
    flag: 'redis-url',
    schema: redisUrl,
    form: 'redis://, rediss://, redis+sentinel:// or redis+cluster:// URL',
    description: 'use Redis instead of the embedded store (unset = embedded)',
    secret: true,
  },
  {
    key: 'redisKeyPrefix',
    env: 'PADDOCK_REDIS_KEY_PREFIX',
    flag: 'redis-key-prefix',
    schema: z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'letters, digits, ":", "_", "." or "-"'),
    form: '1-64 characters of A-Z a-z 0-9 : _ . -',
    description: 'prefix of every Redis key',
    defaultValue: 'paddock:',
  },
  {
    key: 'storeMinFreeMegabytes',
    env: 'PADDOCK_STORE_MIN_FREE_MEGABYTES',
    flag: 'store-min-free-megabytes',
    schema: z.coerce.number().min(0).max(1_000_000),
    form: 'a number of MiB, 0 or more',
    description:
      'embedded store: refuse writes (503 STORE_UNAVAILABLE) while the data directory has less free space than this, so a full disk never stops Paddock',
    defaultValue: 64,
  },
  {
    key: 'insecureHttp',
    env: 'PADDOCK_INSECURE_HTTP',
    flag: 'insecure-http',
    schema: bool,
    form: 'true or false',
    description: 'serve plain HTTP instead of HTTPS (for a TLS-terminating load balancer)',
    defaultValue: false,
    boolean: true,
  },
  {
    key: 'tlsCertFile',
    env: 'PADDOCK_TLS_CERT_FILE',
    flag: 'tls-cert-file',
    schema: nonEmpty,
    form: 'a PEM file path',
    description: 'serving certificate (chain); replaces the generated one',
  },
  {
    key: 'tlsKeyFile',
    env: 'PADDOCK_TLS_KEY_FILE',
    flag: 'tls-key-file',
    schema: nonEmpty,
    form: 'a PEM file path',
    description: 'private key of --tls-cert-file',
  },
  {
    key: 'tlsCaFile',
    env: 'PADDOCK_TLS_CA_FILE',
    flag: 'tls-ca-file',
    schema: nonEmpty,
    form: 'a PEM file path',
    description: 'CA put into kubeconfigs when the certificate is configured',
  },
  {
    key: 'serverUrl',
    env: 'PADDOCK_SERVER_URL',
    flag: 'server-url',
    schema: httpsUrl,
    form: 'an absolute URL such as https://paddock.example.com',
    description:
      'public URL written into kubeconfigs and OAuth callbacks (kubeconfigs fall back to the request; GitHub/OIDC logins need it or the server-url setting)',
  },
  {
    key: 'agentImage',
    env: 'PADDOCK_AGENT_IMAGE',
    flag: 'agent-image',
    schema: nonEmpty,
    form: 'a container image reference',
    description: 'image of the paddock agent Deployment in agent import manifests',
    defaultValue: 'paddock:latest',
  },
  {
    key: 'logLevel',
    env: 'PADDOCK_LOG_LEVEL',
    flag: 'log-level',
    schema: logLevel,
    form: 'fatal, error, warn, info, debug, trace or silent',
    description: 'minimum level of the JSON log lines',
    defaultValue: 'info',
  },
  {
    key: 'shutdownGraceSeconds',
    env: 'PADDOCK_SHUTDOWN_GRACE_SECONDS',
    flag: 'shutdown-grace-seconds',
    schema: z.coerce.number().min(0).max(600),
    form: 'a number of seconds from 0 to 600',
    description: 'how long SIGTERM waits for in-flight requests',
    defaultValue: 10,
  },
  {
    key: 'shutdownDrainSeconds',
    env: 'PADDOCK_SHUTDOWN_DRAIN_SECONDS',
    flag: 'shutdown-drain-seconds',
    schema: z.coerce.number().min(0).max(600),
    form: 'a number of seconds from 0 to 600',
    description:
      'after SIGTERM, keep serving new requests this long (with /readyz failing) before closing the listener; counted within the grace period',
    defaultValue: 3,
  },
  {
    key: 'maxBodyBytes',
    env: 'PADDOCK_MAX_BODY_BYTES',
    flag: 'max-body-bytes',
    schema: positiveInt,
    form: 'a positive integer',
    description: 'largest request body accepted',
    defaultValue: 3 * 1024 * 1024,
  },
  {
    key: 'environment',
    env: 'PADDOCK_ENV',
    flag: 'env',
    schema: z.enum(['production', 'development']),
    form: 'production or development',
    description: 'development turns GraphQL introspection on by default',
    defaultValue: 'production',
  },
  {
    key: 'graphqlIntrospection',
    env: 'PADDOCK_GRAPHQL_INTROSPECTION',
    flag: 'graphql-introspection',
    schema: bool,
    form: 'true or false',
    description: 'allow GraphQL introspection (and so the explorer) in production',
    boolean: true,
  },
  {
    key: 'bootstrapPassword',
    env: 'PADDOCK_BOOTSTRAP_PASSWORD',
    flag: 'bootstrap-password',
    schema: z.string().min(12, 'at least 12 characters'),
    form: 'at least 12 characters',
    description: "first admin's password on an empty store (default: generated, printed once)",
    secret: true,
  },
  {
    key: 'encryptionKey',
    env: 'PADDOCK_ENCRYPTION_KEY',
    flag: 'encryption-key',
    schema: z.string().regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 bytes in base64 or base64url'),
    form: '32 random bytes, base64 (openssl rand -base64 32)',
    description: 'AES-256-GCM key for secrets at rest (default: generated into the data dir)',
    secret: true,
  },
  {
    key: 'previousEncryptionKeys',
    env: 'PADDOCK_PREVIOUS_ENCRYPTION_KEYS',
    flag: 'previous-encryption-keys',
    schema: z
      .string()
      .regex(
        /^[A-Za-z0-9+/_-]{43}=?(,[A-Za-z0-9+/_-]{43}=?)*$/,
        'must be comma-separated 32-byte keys in base64',
      ),
    form: 'comma-separated base64 keys of 32 bytes',
    description: 'older encryption keys still accepted while `paddock reencrypt` rotates them',
    secret: true,
  },
  {
    key: 'apiKeyPepper',
    env: 'PADDOCK_API_KEY_PEPPER',
    flag: 'api-key-pepper',
    schema: z.string().regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 bytes in base64 or base64url'),
    form: '32 random bytes, base64 (openssl rand -base64 32)',
    description:
      'HMAC key under which API key hashes are stored (default: generated into the data dir)',
    secret: true,
  },
  {
    key: 'metricsScrapeToken',
    env: 'PADDOCK_METRICS_SCRAPE_TOKEN',
    flag: 'metrics-scrape-token',
    schema: z
      .string()
      .regex(/^[\x21-\x7e]{32,512}$/, 'at least 32 printable characters, no spaces'),
    form: 'a random string of at least 32 characters (openssl rand -hex 32)',
    description: 'bearer token with which Prometheus may read /metrics without a user',
    secret: true,
  },
  {
    key: 'tlsHandshakeTimeoutSeconds',
    env: 'PADDOCK_TLS_HANDSHAKE_TIMEOUT_SECONDS',
    flag: 'tls-handshake-timeout-seconds',
    schema: z.coerce.number().min(0.1).max(120),
    form: 'a number of seconds from 0.1 to 120',
    description: 'close a connection that has not completed its TLS handshake by then',
    defaultValue: 10,
  },
  {
    key: 'clusterProbeIntervalSeconds',
    env: 'PADDOCK_CLUSTER_PROBE_INTERVAL_SECONDS',
    flag: 'cluster-probe-interval-seconds',
    schema: z.coerce.number().min(0.2).max(300),
    form: 'a number of seconds from 0.2 to 300',
    description:
      'time between health probes of each cluster; a cluster is unavailable after two failed probes in a row and active again after two good ones',
    defaultValue: 2,
  },
  {
    key: 'backupEvery',
    env: 'PADDOCK_BACKUP_EVERY',
    flag: 'backup-every',
    schema: duration,
    form: 'a duration such as 30m, 6h or 1d',
    description:
      'serve: write a backup this often into backupDir (one replica writes it); unset = no scheduled backups',
  },
  {
    key: 'backupKeep',
    env: 'PADDOCK_BACKUP_KEEP',
    flag: 'backup-keep',
    schema: duration,
    form: 'a duration such as 12h, 7d or 60d',
    description: 'scheduled backups older than this are deleted (the newest is always kept)',
    defaultValue: '30d',
  },
  {
    key: 'backupDir',
    env: 'PADDOCK_BACKUP_DIR',
    flag: 'backup-dir',
    schema: nonEmpty,
    form: 'a directory path',
    description:
      'where scheduled backups go (default <dataDir>/backups; with several replicas, a volume they share)',
  },
  {
    key: 'backupPassphrase',
    env: 'PADDOCK_BACKUP_PASSPHRASE',
    flag: 'backup-passphrase',
    schema: z.string().min(12, 'at least 12 characters'),
    form: 'at least 12 characters',
    description:
      'seals the server keys into backups: `backup --keys`, `restore --keys`, and every scheduled backup when set',
    secret: true,
  },
  {
    key: 'importKubeconfig',
    env: 'PADDOCK_IMPORT_KUBECONFIG',
    flag: 'import-kubeconfig',
    schema: bool,
    form: 'true or false',
    description: 'register the clusters of $KUBECONFIG at start',
    defaultValue: false,
    boolean: true,
  },
  {
    key: 'helmBinary',
    env: 'PADDOCK_HELM_BINARY',
    flag: 'helm-binary',
    schema: nonEmpty,
    form: 'a command name on PATH or an absolute path',
    description: 'Helm 3.13+ binary that installs apps (checked at start)',
    defaultValue: 'helm',
  },
  {
    key: 'helmProxyUrl',
    env: 'PADDOCK_HELM_PROXY_URL',
    flag: 'helm-proxy-url',
    schema: httpsUrl,
    form: 'an absolute URL such as https://127.0.0.1:8443',
    description: "Paddock's own URL as Helm reaches it (default: the listener on loopback)",
  },
] as const satisfies readonly ConfigKeyDefinition[];

export type ConfigKey = (typeof configKeys)[number]['key'];
