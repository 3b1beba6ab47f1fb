// Service-account tokens: JWTs like the apiserver issues (legacy secret-based and bound
// TokenRequest tokens), signed with a key private to the simulated cluster.

import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export const API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';

export interface BoundClaims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  jti: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    pod?: { name: string; uid: string };
    secret?: { name: string; uid: string };
  };
  nbf: number;
  sub: string;
}

export interface LegacyClaims {
  iss: string;
  'kubernetes.io/serviceaccount/namespace': string;
  'kubernetes.io/serviceaccount/secret.name': string;
  'kubernetes.io/serviceaccount/service-account.name': string;
  'kubernetes.io/serviceaccount/service-account.uid': string;
  sub: string;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Signs and verifies the cluster's service-account JWTs. */
export class TokenSigner {
  private readonly key: Buffer;
  private readonly kid: string;

  constructor(key: Buffer = randomBytes(32)) {
    this.key = key;
    this.kid = createHmac('sha256', key).update('kid').digest('base64url').slice(0, 43);
  }

  sign(claims: object): string {
    const header = b64url(JSON.stringify({ alg: 'HS256', kid: this.kid }));
    const payload = b64url(JSON.stringify(claims));
    const sig = createHmac('sha256', this.key).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${sig}`;
  }

  /** Returns the claims of a token signed by this cluster, or undefined. */
  verify(token: string): Record<string, unknown> | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [h, p, s] = parts as [string, string, string];
    const expected = createHmac('sha256', this.key).update(`${h}.${p}`).digest();
    let given: Buffer;
    try {
      given = Buffer.from(s, 'base64url');
    } catch {
      return undefined;
    }
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      return JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  bound(opts: {
    namespace: string;
    name: string;
    uid: string;
    audiences?: string[];
    expirationSeconds: number;
    now: Date;
    boundObject?: { kind: string; name: string; uid: string };
  }): { token: string; claims: BoundClaims } {
    const iat = Math.floor(opts.now.getTime() / 1000);
    const claims: BoundClaims = {
      aud: opts.audiences && opts.audiences.length > 0 ? opts.audiences : [API_AUDIENCE],
      exp: iat + opts.expirationSeconds,
      iat,
      iss: API_AUDIENCE,
      jti: randomUUID(),
      'kubernetes.io': {
        namespace: opts.namespace,
        serviceaccount: { name: opts.name, uid: opts.uid },
      },
      nbf: iat,
      sub: `system:serviceaccount:${opts.namespace}:${opts.name}`,
    };
    if (opts.boundObject?.kind === 'Pod') {
      claims['kubernetes.io'].pod = { name: opts.boundObject.name, uid: opts.boundObject.uid };
    } else if (opts.boundObject?.kind === 'Secret') {
      claims['kubernetes.io'].secret = { name: opts.boundObject.name, uid: opts.boundObject.uid };
    }
    return { token: this.sign(claims), claims };
  }

  legacy(namespace: string, saName: string, saUid: string, secretName: string): string {
    const claims: LegacyClaims = {
      iss: LEGACY_ISSUER,
      'kubernetes.io/serviceaccount/namespace': namespace,
      'kubernetes.io/serviceaccount/secret.name': secretName,
      'kubernetes.io/serviceaccount/service-account.name': saName,
      'kubernetes.io/serviceaccount/service-account.uid': saUid,
      sub: `system:serviceaccount:${namespace}:${saName}`,
    };
    return this.sign(claims);
  }
}
