/**
 * Reads the regular files of an uncompressed tar archive (ustar, with PAX `path` and GNU long
 * names), which is all a Helm chart archive uses. Bounded so a hostile archive cannot make
 * Paddock hold more than `maxBytes` of file content.
 */
import { PaddockError } from '../../errors/index.js';

const BLOCK = 512;

export interface TarLimits {
  readonly maxFiles: number;
  readonly maxBytes: number;
}

function text(buf: Buffer, start: number, length: number): string {
  const field = buf.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

function octal(buf: Buffer, start: number, length: number): number {
  const raw = text(buf, start, length).trim();
  const value = raw === '' ? 0 : Number.parseInt(raw, 8);
  if (!Number.isFinite(value) || value < 0) throw badArchive('a header has a bad size');
  return value;
}

function badArchive(why: string): PaddockError {
  return new PaddockError('BAD_REQUEST', `the chart archive is not a valid tar: ${why}`, {
    reason: 'chart_archive_invalid',
  });
}

/** PAX extended header records: `<len> key=value\n`. */
function paxPath(data: Buffer): string | undefined {
  let rest = data.toString('utf8');
  while (rest.length > 0) {
    const space = rest.indexOf(' ');
    const len = Number.parseInt(rest.slice(0, space), 10);
    if (!(len > 0)) return undefined;
    const record = rest.slice(space + 1, len - 1);
    const eq = record.indexOf('=');
    if (record.slice(0, eq) === 'path') return record.slice(eq + 1);
    rest = rest.slice(len);
  }
  return undefined;
}

/** Every regular file of the archive by path. */
export function readTar(archive: Buffer, limits: TarLimits): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let offset = 0;
  let total = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const dataStart = offset + BLOCK;
    if (dataStart + size > archive.length) throw badArchive('a file runs past the end');
    const data = archive.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      longName = paxPath(data) ?? longName;
      continue;
    }
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (type === 'g') continue;
    const prefix = text(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    if (type !== '0' && type !== '\0') continue;
    total += size;
    if (files.size >= limits.maxFiles || total > limits.maxBytes) {
      throw new PaddockError('PAYLOAD_TOO_LARGE', 'the chart archive is too large', {
        reason: 'chart_archive_too_large',
      });
    }
    files.set(name, Buffer.from(data));
  }
  return files;
}
