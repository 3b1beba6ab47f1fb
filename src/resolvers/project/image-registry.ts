/**
 * The `default-image-registry` setting for workloads deployed through GraphQL: an image that
 * names no registry (`nginx`, `library/nginx:1.27`) is pulled from the configured one, as
 * Rancher's system-default-registry does. A registry is the first path part when it has a `.`
 * or `:` or is `localhost`, as the Docker reference grammar reads it.
 */

import type { SettingsReader } from '../../domain/settings.js';
import { SETTING_DEFAULT_IMAGE_REGISTRY } from '../../domain/settings-admin.js';

export function namesRegistry(image: string): boolean {
  const slash = image.indexOf('/');
  if (slash < 0) return false;
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost';
}

/** `image` pulled from `registry` when it names none; unchanged otherwise. */
export function imageWithRegistry(image: string, registry: string): string {
  const host = registry.trim().replace(/\/+$/, '');
  if (host === '' || namesRegistry(image)) return image;
  return `${host}/${image}`;
}

export async function defaultImageRegistry(settings: SettingsReader): Promise<string> {
  return (await settings.get(SETTING_DEFAULT_IMAGE_REGISTRY))?.value ?? '';
}
