/** Chart versions are SemVer 2 (Helm requires it); sorted newest first, invalid ones last. */
import semver from 'semver';

export function compareVersionsDesc(a: string, b: string): number {
  const va = semver.valid(a, { loose: true });
  const vb = semver.valid(b, { loose: true });
  if (va !== null && vb !== null) return semver.rcompare(va, vb, true);
  if (va !== null) return -1;
  if (vb !== null) return 1;
  return b.localeCompare(a);
}

/** The newest version that is not a prerelease, else the newest of all. */
export function newestStable<T extends { version: string }>(sorted: readonly T[]): T | undefined {
  return (
    sorted.find(
      (v) =>
        semver.valid(v.version, { loose: true }) !== null &&
        !semver.prerelease(v.version, { loose: true }),
    ) ?? sorted[0]
  );
}

/** Helm pushes version `1.0.0+build` to OCI as the tag `1.0.0_build`. */
export function versionOfTag(tag: string): string {
  return tag.replaceAll('_', '+');
}

export function tagOfVersion(version: string): string {
  return version.replaceAll('+', '_');
}
