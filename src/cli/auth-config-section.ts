import { z } from 'zod';
import type { ProviderName } from '../domain/index.js';
import { PaddockError } from '../errors/index.js';
import type { AuthConfigInput } from '../identity/index.js';

const providerNames = ['openldap', 'activedirectory', 'github', 'oidc'] as const;

const providerSection = z
  .object({
    enabled: z.boolean().optional(),
    accessMode: z.enum(['unrestricted', 'restricted', 'required']).optional(),
    allowedPrincipalIds: z.array(z.string().min(1)).optional(),
    groupRefreshMaxAgeSeconds: z.number().int().positive().optional(),
    settings: z.record(z.string(), z.unknown()),
  })
  .strict();

const authSection = z.partialRecord(z.enum(providerNames), providerSection);

/**
 * The YAML file's `auth:` section: one entry per provider, seeded into the store at start when
 * the store has no config for that provider yet (the store's copy, edited at run time, wins).
 * Provider settings are validated by the provider itself when it is built.
 */
export function parseAuthSection(section: unknown): AuthConfigInput[] {
  if (section === undefined) return [];
  const parsed = authSection.safeParse(section);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `auth.${i.path.map(String).join('.')}: ${i.message}`,
    );
    throw new PaddockError('CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return Object.entries(parsed.data).flatMap(([provider, entry]) =>
    entry === undefined ? [] : [{ provider: provider as ProviderName, ...entry }],
  );
}
