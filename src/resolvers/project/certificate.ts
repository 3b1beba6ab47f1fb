/** Reads the certificate of a TLS secret with node:crypto (never its private key). */
import { X509Certificate } from 'node:crypto';

export interface ParsedCertificate {
  readonly subject: string;
  readonly issuer: string;
  readonly subjectAltNames: string[];
  readonly serialNumber: string;
  readonly fingerprintSha256: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly isCA: boolean;
  /** Certificates in the `tls.crt` chain. */
  readonly chainLength: number;
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The leaf of a PEM chain, or undefined when `tls.crt` holds no readable certificate. */
export function parseCertificate(pem: string): ParsedCertificate | undefined {
  const blocks = pem.match(PEM) ?? [];
  if (blocks.length === 0) return undefined;
  try {
    const cert = new X509Certificate(blocks[0]!);
    return {
      subject: oneLine(cert.subject),
      issuer: oneLine(cert.issuer),
      subjectAltNames: (cert.subjectAltName ?? '')
        .split(/,\s*/)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
      serialNumber: cert.serialNumber,
      fingerprintSha256: cert.fingerprint256,
      notBefore: new Date(cert.validFrom),
      notAfter: new Date(cert.validTo),
      isCA: cert.ca,
      chainLength: blocks.length,
    };
  } catch {
    return undefined;
  }
}

// node prints one attribute per line; a comma-joined line reads like `openssl x509 -subject`.
function oneLine(dn: string): string {
  return dn
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .join(', ');
}
