/**
 * The Helm binary Paddock runs, checked once at start: it must be Helm 3.13 or newer (release
 * labels, `--labels`, came in 3.13). A missing or wrong binary leaves apps unavailable with
 * that reason rather than failing Paddock's start.
 */
import { execFile } from 'node:child_process';

export type HelmBinaryStatus =
  | { readonly ok: true; readonly path: string; readonly version: string }
  | { readonly ok: false; readonly path: string; readonly reason: string };

const MIN_MINOR = 13;

export function checkHelmBinary(path: string, timeoutMs = 15_000): Promise<HelmBinaryStatus> {
  return new Promise((resolve) => {
    execFile(
      path,
      ['version', '--short'],
      {
        timeout: timeoutMs,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' },
      },
      (err, stdout, stderr) => {
        if (err) {
          const why =
            (err as NodeJS.ErrnoException).code === 'ENOENT'
              ? 'not found'
              : stderr.trim() || err.message;
          resolve({ ok: false, path, reason: `helm binary ${path}: ${why}` });
          return;
        }
        const version = stdout.trim();
        const m = /^v(\d+)\.(\d+)\./.exec(version);
        if (m?.[1] !== '3' || Number(m[2]) < MIN_MINOR) {
          resolve({
            ok: false,
            path,
            reason: `helm binary ${path} is ${version || 'unknown'}; Paddock needs Helm 3.${MIN_MINOR} or newer`,
          });
          return;
        }
        resolve({ ok: true, path, version });
      },
    );
  });
}
