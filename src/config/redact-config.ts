import { type ConfigKeyDefinition, configKeys } from './config-keys.js';
import type { PaddockConfig } from './paddock-config.js';

const secretKeys = new Set(
  (configKeys as readonly ConfigKeyDefinition[]).filter((d) => d.secret).map((d) => d.key),
);

/** A copy safe to log: secret values replaced by `<secret>`, sections omitted. */
export function redactConfig(config: PaddockConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === 'sections' || key === 'sources') continue;
    out[key] = secretKeys.has(key) && value !== undefined ? '<secret>' : value;
  }
  return out;
}
