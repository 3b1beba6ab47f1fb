/**
 * The `default-image-registry` setting applied to charts: passed as
 * `global.systemDefaultRegistry` (Rancher's charts) and `global.imageRegistry` (Bitnami's) when
 * the chart declares those keys in its values.yaml, unless the caller set them.
 */
import { isValuesMap, type Values } from './values-input.js';

export const REGISTRY_VALUE_KEYS = ['systemDefaultRegistry', 'imageRegistry'] as const;

/** `global.<key>` paths the chart's default values declare. */
export function registryKeysOf(defaults: Values): string[] {
  const global = defaults.global;
  if (!isValuesMap(global)) return [];
  return REGISTRY_VALUE_KEYS.filter((k) => k in global).map((k) => `global.${k}`);
}

/** `values` with the registry filled in where the chart declares it and the caller did not. */
export function withDefaultRegistry(defaults: Values, values: Values, registry: string): Values {
  if (registry === '') return values;
  const keys = registryKeysOf(defaults);
  if (keys.length === 0) return values;
  const global = isValuesMap(values.global) ? { ...values.global } : {};
  for (const path of keys) {
    const key = path.slice('global.'.length);
    if (global[key] === undefined || global[key] === '') global[key] = registry;
  }
  return { ...values, global };
}
