/** Validation of catalog input: a clear VALIDATION_FAILED naming the field, before any write. */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { CatalogKind } from '../../domain/catalogs.js';
import { PaddockError } from '../../errors/index.js';

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function invalidField(field: string, message: string): PaddockError {
  return new PaddockError('VALIDATION_FAILED', `${field}: ${message}`, {
    reason: 'invalid_input',
    details: { field },
  });
}

export function catalogName(name: string): string {
  if (name.length > 63 || !NAME.test(name)) {
    throw invalidField(
      'name',
      'must be a DNS label: lowercase letters, digits and "-", at most 63',
    );
  }
  return name;
}

/** Link-local addresses (cloud metadata services) are never a chart repository. */
function isLinkLocal(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 4) return bare.startsWith('169.254.');
  if (isIP(bare) === 6) return /^fe[89ab]/i.test(bare);
  return false;
}

/** The kind and normalised URL of a repository URL. */
export function catalogUrl(raw: string, hasPassword: boolean): { kind: CatalogKind; url: string } {
  const text = raw.trim();
  if (text.startsWith('oci://')) {
    const m = /^oci:\/\/([^/@\s]+)(\/[^\s@?#]*)?$/.exec(text);
    if (!m?.[1])
      throw invalidField('url', 'an OCI reference looks like oci://registry.example.com/charts');
    if (isLinkLocal(m[1].replace(/:\d+$/, '')))
      throw invalidField('url', 'link-local addresses are refused');
    return { kind: 'oci', url: text.replace(/\/+$/, '') };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidField('url', 'must be an https://, http:// or oci:// URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidField('url', 'must be an https://, http:// or oci:// URL');
  }
  if (url.username || url.password)
    throw invalidField('url', 'put credentials in username and password, not the URL');
  if (url.search || url.hash) throw invalidField('url', 'must have no query or fragment');
  if (isLinkLocal(url.hostname)) throw invalidField('url', 'link-local addresses are refused');
  if (hasPassword && url.protocol === 'http:') {
    throw invalidField('url', 'a password is only sent over https');
  }
  return { kind: 'http', url: url.toString().replace(/\/+$/, '') };
}

export function caBundle(pem: string): string {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) throw invalidField('caPem', 'must hold PEM certificates');
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      throw invalidField('caPem', 'holds a certificate that does not parse');
    }
  }
  return `${blocks.join('\n')}\n`;
}

export function optionalText(
  field: string,
  value: string | undefined,
  max: number,
): string | undefined {
  if (value === undefined) return undefined;
  if (value.length > max) throw invalidField(field, `is limited to ${max} characters`);
  return value;
}
