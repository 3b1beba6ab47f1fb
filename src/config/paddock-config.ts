/** The validated configuration, typed; built only by `loadConfig`. */
export interface PaddockConfig {
  readonly port: number;
  readonly bind: string;
  readonly dataDir: string;
  readonly redisUrl?: string;
  readonly redisKeyPrefix: string;
  readonly storeMinFreeMegabytes: number;
  readonly insecureHttp: boolean;
  readonly tlsCertFile?: string;
  readonly tlsKeyFile?: string;
  readonly tlsCaFile?: string;
  readonly serverUrl?: string;
  /** Image of the `paddock agent` Deployment rendered in agent import manifests. */
  readonly agentImage: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly shutdownGraceSeconds: number;
  readonly shutdownDrainSeconds: number;
  readonly maxBodyBytes: number;
  readonly environment: 'production' | 'development';
  readonly graphqlIntrospection?: boolean;
  readonly bootstrapPassword?: string;
  readonly encryptionKey?: string;
  readonly apiKeyPepper?: string;
  readonly previousEncryptionKeys?: string;
  readonly importKubeconfig: boolean;
  readonly tlsHandshakeTimeoutSeconds: number;
  readonly clusterProbeIntervalSeconds: number;
  /** Scheduled backups: every this many milliseconds (unset: none). */
  readonly backupEvery?: number;
  /** Scheduled backups older than this many milliseconds are deleted. */
  readonly backupKeep: number;
  readonly backupDir?: string;
  readonly backupPassphrase?: string;
  readonly metricsScrapeToken?: string;
  readonly helmBinary: string;
  readonly helmProxyUrl?: string;
  /** The kubeconfig files `importKubeconfig` reads: `$KUBECONFIG` (colon-separated) or ~/.kube/config. */
  readonly kubeconfigFiles: readonly string[];
  /** Provider and other sections of the YAML file, validated by their owners. */
  readonly sections: Readonly<Record<string, unknown>>;
  /** Where each key came from, for `paddock config` diagnostics. */
  readonly sources: Readonly<Record<string, 'flag' | 'env' | 'file' | 'default'>>;
}
