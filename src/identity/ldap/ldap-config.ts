import { z } from 'zod';
import { PaddockError } from '../../errors/index.js';

/**
 * Configuration of an OpenLDAP or Active Directory provider. The two share one shape; the
 * defaults differ (`openLdapConfigSchema` vs `activeDirectoryConfigSchema`). Parsed once when the
 * provider is built; the service-account password is a secret and must never be logged.
 */

const attributeName = z
  .string()
  .regex(/^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)$/, 'must be an LDAP attribute name');

const oneOrMany = z
  .union([attributeName, z.array(attributeName).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

export const ldapTlsModes = ['none', 'ldaps', 'starttls'] as const;
export type LdapTlsMode = (typeof ldapTlsModes)[number];

const tlsSchema = z.object({
  mode: z.enum(ldapTlsModes).default('ldaps'),
  /** PEM bundle of the CAs that may sign the server certificate; the system CAs when absent. */
  caPem: z.string().min(1).optional(),
  /**
   * Name checked against the server certificate, for servers addressed by IP address or by a
   * name missing from the certificate (Samba's self-signed certificate names the DC's FQDN).
   */
  serverName: z.string().min(1).optional(),
  dangerouslySkipTlsVerify: z.boolean().default(false),
});

/** How an entry says that its account is disabled (OpenLDAP has no standard for it). */
const enabledAttributeSchema = z
  .object({
    attribute: attributeName,
    /** Enabled only when one value is one of these (case-insensitive). */
    enabledValues: z.array(z.string()).optional(),
    /** Disabled when one value is one of these (case-insensitive), e.g. `TRUE` for nsAccountLock. */
    disabledValues: z.array(z.string()).optional(),
  })
  .refine((v) => v.enabledValues !== undefined || v.disabledValues !== undefined, {
    message: 'set enabledValues or disabledValues',
  });

export interface LdapSchemaDefaults {
  readonly tlsMode: LdapTlsMode;
  readonly loginAttributes: readonly string[];
  readonly userObjectClass: string;
  readonly displayNameAttribute: string;
  readonly groupObjectClass: string;
  readonly groupNameAttribute: string;
  readonly principalIdAttribute: string;
}

function ldapConfigSchema(d: LdapSchemaDefaults) {
  return z
    .object({
      /** Host names or addresses, optionally `host:port`, tried in order (failover). */
      servers: z.array(z.string().min(1)).min(1),
      /** Default port of servers without one: 636 for LDAPS, 389 otherwise. */
      port: z.number().int().min(1).max(65535).optional(),
      tls: tlsSchema.prefault({ mode: d.tlsMode }),
      /** Bound on TCP connect, TLS handshake and StartTLS of one server before the next is tried. */
      connectionTimeoutMs: z.number().int().positive().default(5000),
      /** Bound on each LDAP operation once connected. */
      operationTimeoutMs: z.number().int().positive().default(15000),
      serviceAccount: z.object({
        bindDn: z.string().min(1),
        password: z.string().min(1),
      }),
      users: z.object({
        searchBase: z.string().min(1),
        /** Extra filter every user must match, e.g. `(memberOf=cn=k8s,ou=groups,dc=example,dc=org)`. */
        filter: z.string().optional(),
        /** Attribute(s) a login name is matched against. */
        loginAttribute: oneOrMany.default([...d.loginAttributes]),
        objectClass: attributeName.default(d.userObjectClass),
        enabledAttribute: enabledAttributeSchema.optional(),
        displayNameAttribute: attributeName.default(d.displayNameAttribute),
        emailAttribute: attributeName.default('mail'),
      }),
      groups: z.object({
        searchBase: z.string().min(1),
        filter: z.string().optional(),
        objectClass: attributeName.default(d.groupObjectClass),
        /** Attribute of a group listing its members. */
        memberAttribute: attributeName.default('member'),
        /**
         * What the member attribute holds: `dn` (member, uniqueMember) or the name of a user
         * attribute (e.g. `uid` for posixGroup's memberUid; nested groups then cannot be followed).
         */
        memberMapping: z.union([z.literal('dn'), attributeName]).default('dn'),
        nameAttribute: attributeName.default(d.groupNameAttribute),
      }),
      nestedGroups: z
        .object({
          enabled: z.boolean().default(true),
          /** Levels of groups-in-groups followed above the user's direct groups (OpenLDAP walk). */
          maxDepth: z.number().int().min(1).max(50).default(10),
        })
        .prefault({}),
      /** `dn`, or an attribute with a stable id (`objectGUID` in AD, `entryUUID` in OpenLDAP). */
      principalIdAttribute: z
        .union([z.literal('dn'), attributeName])
        .default(d.principalIdAttribute),
      /** Page size of paged searches (RFC 2696). */
      pageSize: z.number().int().min(1).max(10000).default(500),
    })
    .refine((c) => c.tls.mode !== 'none' || c.tls.caPem === undefined, {
      message: 'tls.caPem needs tls.mode ldaps or starttls',
      path: ['tls', 'caPem'],
    });
}

export const openLdapConfigSchema = ldapConfigSchema({
  tlsMode: 'ldaps',
  loginAttributes: ['uid'],
  userObjectClass: 'inetOrgPerson',
  displayNameAttribute: 'cn',
  groupObjectClass: 'groupOfNames',
  groupNameAttribute: 'cn',
  principalIdAttribute: 'dn',
});

export const activeDirectoryConfigSchema = ldapConfigSchema({
  tlsMode: 'ldaps',
  loginAttributes: ['sAMAccountName', 'userPrincipalName'],
  userObjectClass: 'user',
  displayNameAttribute: 'displayName',
  groupObjectClass: 'group',
  groupNameAttribute: 'cn',
  principalIdAttribute: 'objectGUID',
});

/** A parsed provider config (either kind). */
export type LdapProviderConfig = z.output<typeof openLdapConfigSchema>;
/** What an operator writes: optional fields may be left out. */
export type LdapProviderConfigInput = z.input<typeof openLdapConfigSchema>;

/** Parses a provider config, naming the offending key in a `CONFIG_INVALID` error. */
export function parseLdapConfig(
  schema: typeof openLdapConfigSchema,
  input: unknown,
  provider: string,
): LdapProviderConfig {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new PaddockError('CONFIG_INVALID', `invalid ${provider} config: ${issues.join('; ')}`, {
    reason: 'ldap_config_invalid',
    details: { issues },
  });
}
