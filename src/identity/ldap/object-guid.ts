/**
 * Active Directory's objectGUID is 16 bytes whose first three fields are little-endian
 * (Microsoft's GUID layout). The canonical text form, used in principal ids, is the one AD tools
 * print: `{b3b2b1b0-b5b4-b7b6-b8b9-b10..b15}` without braces, lower case.
 */

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The canonical string of a 16-byte objectGUID value. */
export function formatObjectGuid(bytes: Buffer): string {
  if (bytes.length !== 16) throw new TypeError(`objectGUID must be 16 bytes, got ${bytes.length}`);
  const hex = (from: number, to: number, reverse: boolean) => {
    const part = Buffer.from(bytes.subarray(from, to));
    return (reverse ? part.reverse() : part).toString('hex');
  };
  return [
    hex(0, 4, true),
    hex(4, 6, true),
    hex(6, 8, true),
    hex(8, 10, false),
    hex(10, 16, false),
  ].join('-');
}

/** The 16 bytes of a canonical GUID string, e.g. for an objectGUID equality filter. */
export function parseObjectGuid(text: string): Buffer {
  if (!CANONICAL.test(text)) throw new TypeError(`not a GUID: ${JSON.stringify(text)}`);
  const hex = text.replaceAll('-', '');
  const bytes = Buffer.from(hex, 'hex');
  bytes.subarray(0, 4).reverse();
  bytes.subarray(4, 6).reverse();
  bytes.subarray(6, 8).reverse();
  return bytes;
}

export function isObjectGuid(text: string): boolean {
  return CANONICAL.test(text);
}
