/**
 * The Helm commands Paddock runs (install, upgrade, rollback, uninstall), each as one user: a
 * derived credential of that user is minted for the run and revoked after it, so the
 * downstream RBAC decides every request Helm makes exactly as for that user's kubectl.
 */
import { stringify } from 'yaml';
import type { Values } from '../values/values-input.js';
import type { HelmRunner } from './helm-runner.js';
import type { OperationCredentials } from './operation-credential.js';

export interface HelmTarget {
  readonly clusterId: string;
  readonly namespace: string;
  readonly name: string;
}

/** The user a run acts as, and the credential it derives from (for interactive runs). */
export interface ActingUser {
  readonly userId: string;
  readonly parentTokenId?: string;
  readonly parentExpiresAt?: number;
}

interface Waiting {
  readonly wait: boolean;
  readonly timeoutSeconds: number;
}

export type HelmAction =
  | (Waiting & {
      readonly kind: 'install' | 'upgrade' | 'upgrade-install';
      readonly archive: Buffer;
      readonly values: Values;
      readonly labels: Readonly<Record<string, string>>;
    })
  | (Waiting & { readonly kind: 'rollback'; readonly revision: number })
  | (Waiting & { readonly kind: 'uninstall' });

export interface HelmOutcome {
  readonly ok: boolean;
  /** Helm's `Error:` line, or why the run could not start. */
  readonly error?: string;
}

/** Sections of `--debug` output that repeat values and manifests; the log skips them. */
const QUIET_SECTIONS = /^(USER-SUPPLIED VALUES|COMPUTED VALUES|HOOKS|MANIFEST):$/;
const LOUD_SECTIONS = /^NOTES:$/;

export function helmArgs(target: HelmTarget, action: HelmAction): string[] {
  const common = [
    '--namespace',
    target.namespace,
    '--timeout',
    `${action.timeoutSeconds}s`,
    '--debug',
  ];
  const wait = action.wait ? ['--wait'] : [];
  switch (action.kind) {
    case 'install':
    case 'upgrade':
    case 'upgrade-install': {
      const labels = Object.entries(action.labels).map(([k, v]) => `${k}=${v}`);
      const head =
        action.kind === 'install'
          ? ['install', target.name]
          : action.kind === 'upgrade'
            ? ['upgrade', target.name]
            : ['upgrade', '--install', target.name];
      return [
        ...head,
        '{chart}',
        '--values',
        '-',
        ...(action.kind === 'install' ? [] : ['--reset-values']),
        ...(labels.length > 0 ? ['--labels', labels.join(',')] : []),
        ...wait,
        ...(action.wait ? ['--wait-for-jobs'] : []),
        ...common,
      ];
    }
    case 'rollback':
      return ['rollback', target.name, String(action.revision), ...wait, ...common];
    case 'uninstall':
      return ['uninstall', target.name, ...wait, ...common];
  }
}

export class HelmActions {
  readonly #runner: HelmRunner;
  readonly #credentials: OperationCredentials;

  constructor(deps: { runner: HelmRunner; credentials: OperationCredentials }) {
    this.#runner = deps.runner;
    this.#credentials = deps.credentials;
  }

  /** Fails fast (before minting anything) when Helm cannot run at all. */
  assertAvailable(): void {
    this.#runner.binaryPath();
  }

  async run(
    user: ActingUser,
    target: HelmTarget,
    action: HelmAction,
    options: { onLine?: (line: string) => void; signal?: AbortSignal; purpose: string },
  ): Promise<HelmOutcome> {
    const credential = await this.#credentials.mint({
      userId: user.userId,
      clusterId: target.clusterId,
      purpose: options.purpose,
      ttlMs: action.timeoutSeconds * 1000 + 60_000,
      ...(user.parentTokenId === undefined ? {} : { parentTokenId: user.parentTokenId }),
      ...(user.parentExpiresAt === undefined ? {} : { parentExpiresAt: user.parentExpiresAt }),
    });
    // One abort for this run, fed by the caller's signal and the credential's revocation;
    // the listeners go when the run ends, so a long-lived controller signal collects none.
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    credential.revoked.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted || credential.revoked.aborted) abort.abort();
    const signal = abort.signal;
    let quiet = false;
    const errors: string[] = [];
    try {
      const result = await this.#runner.run({
        args: helmArgs(target, action),
        clusterId: target.clusterId,
        token: credential.token,
        ...(action.kind === 'rollback' || action.kind === 'uninstall'
          ? {}
          : { chart: action.archive, stdin: stringify(action.values) }),
        signal,
        timeoutMs: action.timeoutSeconds * 1000 + 30_000,
        onLine: (line) => {
          if (line.startsWith('Error:')) errors.push(line.slice(6).trim());
          // Helm lists the causes of "N errors occurred" on the lines after it.
          else if (/^\t?\* /.test(line) && errors.length > 0) {
            errors[errors.length - 1] = `${errors.at(-1)} ${line.trim()}`;
          }
          if (QUIET_SECTIONS.test(line)) quiet = true;
          else if (LOUD_SECTIONS.test(line)) quiet = false;
          if (!quiet) options.onLine?.(line);
        },
      });
      if (credential.revoked.aborted) {
        const reason = credential.revoked.reason;
        return {
          ok: false,
          error: reason instanceof Error ? reason.message : 'credential revoked',
        };
      }
      if (result.code === 0) return { ok: true };
      return {
        ok: false,
        error:
          errors.at(-1) ??
          (result.stderr.trim().split('\n').at(-1) || `helm exited with ${result.code}`),
      };
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      credential.revoked.removeEventListener('abort', onAbort);
      await credential.release();
    }
  }
}
