/**
 * The previous release of Paddock, built from git into `node_modules/.cache/paddock-previous/`
 * once per commit, so the upgrade and rollback test can run it beside this build. Which
 * release is named in `deploy/previous-release` (its tag, and its commit for clones without
 * tags). Its dependencies are this checkout's when this checkout's tree holds every package of
 * its lock file at the same place and version (a minute saved), else installed with `npm ci`
 * from the npm cache first.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot as findRepoRoot } from './repo-root.js';

const repoRoot = findRepoRoot();

const run = promisify(execFile);

export interface PreviousRelease {
  readonly tag: string;
  readonly commit: string;
  /** The directory of the built release (its `dist/src/main.js` runs it). */
  readonly dir: string;
  readonly mainJs: string;
  /** Seconds spent building it now; 0 when it came from the cache. */
  readonly builtInSeconds: number;
}

/**
 * Reads `deploy/previous-release` and finds the commit in this clone: by its tag, else by the
 * recorded commit, else by fetching that commit from the clone's remotes (a shallow or
 * single-branch clone may lack it). Fails saying what is missing and how to get it.
 */
export async function previousReleaseCommit(): Promise<{ tag: string; commit: string }> {
  const text = await readFile(join(repoRoot, 'deploy', 'previous-release'), 'utf8');
  const field = (name: string) => new RegExp(`^${name}\\s+(\\S+)`, 'm').exec(text)?.[1];
  const tag = field('tag');
  const recorded = field('commit');
  if (tag === undefined || recorded === undefined) {
    throw new Error('deploy/previous-release must name a `tag` and a `commit`');
  }
  const resolve = async (ref: string) =>
    (
      await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repoRoot })
    ).stdout.trim();
  const byTag = await resolve(`refs/tags/${tag}`).catch(() => undefined);
  if (byTag !== undefined && byTag !== recorded) {
    throw new Error(
      `tag ${tag} is commit ${byTag}, but deploy/previous-release records ${recorded}; update the file`,
    );
  }
  const commit =
    byTag ??
    (await resolve(recorded).catch(() => undefined)) ??
    (await fetchCommit(recorded).then(
      () => resolve(recorded).catch(() => undefined),
      () => undefined,
    ));
  if (commit === undefined) {
    const remotes = (
      await run('git', ['remote'], { cwd: repoRoot }).catch(() => ({ stdout: '' }))
    ).stdout
      .trim()
      .split('\n')
      .filter(Boolean);
    throw new Error(
      `the previous release (${tag}, commit ${recorded}) is not in this clone` +
        (remotes.length === 0
          ? ', which has no remote to fetch it from'
          : ` and could not be fetched from ${remotes.join(', ')}`) +
        ': run `git fetch --tags` (or `git fetch --unshallow` in a shallow clone) where it exists',
    );
  }
  return { tag, commit };
}

/** Fetches one commit by its id from the first remote that has it (no refs are changed). */
async function fetchCommit(commit: string): Promise<void> {
  const { stdout } = await run('git', ['remote'], { cwd: repoRoot });
  const shallow =
    (
      await run('git', ['rev-parse', '--is-shallow-repository'], { cwd: repoRoot })
    ).stdout.trim() === 'true';
  for (const remote of stdout.trim().split('\n').filter(Boolean)) {
    const args = [
      'fetch',
      '--quiet',
      '--no-tags',
      ...(shallow ? ['--depth=1'] : []),
      remote,
      commit,
    ];
    const fetched = await run('git', args, { cwd: repoRoot, timeout: 120_000 }).then(
      () => true,
      () => false,
    );
    if (fetched) return;
  }
  throw new Error(`no remote has commit ${commit}`);
}

/** Builds (or finds in the cache) the previous release. */
export async function buildPreviousRelease(): Promise<PreviousRelease> {
  const { tag, commit } = await previousReleaseCommit();
  const cache = join(repoRoot, 'node_modules', '.cache', 'paddock-previous');
  const dir = join(cache, commit);
  const mainJs = join(dir, 'dist', 'src', 'main.js');
  if (existsSync(join(dir, '.built'))) return { tag, commit, dir, mainJs, builtInSeconds: 0 };

  const started = Date.now();
  const work = `${dir}.tmp-${process.pid}`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    await extract(commit, work);
    const reusable = containsTree(
      await readFile(join(work, 'package-lock.json'), 'utf8'),
      await readFile(join(repoRoot, 'package-lock.json'), 'utf8'),
    );
    if (reusable) {
      await symlink(join(repoRoot, 'node_modules'), join(work, 'node_modules'), 'dir');
    } else {
      await run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], {
        cwd: work,
        maxBuffer: 64 * 1024 * 1024,
      });
    }
    // Only what `paddock serve` runs: the release's own tests are not needed.
    await writeFile(
      join(work, 'tsconfig.previous.json'),
      JSON.stringify({
        extends: './tsconfig.json',
        compilerOptions: { incremental: false, sourceMap: false, types: ['node'] },
        include: ['src'],
      }),
    );
    await run(
      process.execPath,
      [join(work, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.previous.json'],
      { cwd: work, maxBuffer: 64 * 1024 * 1024 },
    ).catch((err: { stdout?: string; message: string }) => {
      throw new Error(`building ${tag} failed: ${err.stdout ?? err.message}`);
    });
    await writeFile(join(work, '.built'), `${tag} ${commit}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(work, dir);
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    throw err;
  }
  return { tag, commit, dir, mainJs, builtInSeconds: Math.round((Date.now() - started) / 1000) };
}

type LockPackages = Record<string, { version?: string }>;

/**
 * True when `current` (a lock file) installs every package of `previous` at the same path and
 * version, and adds nothing nested inside those packages (which would change what they
 * resolve): then the previous release runs on this checkout's node_modules unchanged.
 */
export function containsTree(previous: string, current: string): boolean {
  const packages = (text: string) =>
    (JSON.parse(text) as { packages?: LockPackages }).packages ?? {};
  const before = packages(previous);
  const now = packages(current);
  for (const [path, entry] of Object.entries(before)) {
    if (path !== '' && now[path]?.version !== entry.version) return false;
  }
  for (const path of Object.keys(now)) {
    const nested = path.lastIndexOf('/node_modules/');
    if (nested > 0 && path.slice(0, nested) in before && !(path in before)) return false;
  }
  return true;
}

/** `git archive <commit> | tar -x -C <dir>`. */
function extract(commit: string, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const archive = spawn('git', ['archive', '--format=tar', commit], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tar = spawn('tar', ['-x', '-C', dir], { stdio: ['pipe', 'ignore', 'pipe'] });
    archive.stdout.pipe(tar.stdin);
    let errors = '';
    archive.stderr.on('data', (c: Buffer) => {
      errors += c.toString();
    });
    tar.stderr.on('data', (c: Buffer) => {
      errors += c.toString();
    });
    let pending = 2;
    const done = (code: number | null) => {
      if (code !== 0) reject(new Error(`git archive ${commit} | tar failed: ${errors}`));
      else if (--pending === 0) resolve();
    };
    archive.once('exit', done);
    tar.once('exit', done);
  });
}
