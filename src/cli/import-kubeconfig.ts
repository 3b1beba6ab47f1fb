import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parse } from 'yaml';
import type { DatasourceClusterRegistry } from '../datasources/index.js';
import type { Logger } from '../domain/index.js';

/**
 * `--import-kubeconfig`: registers every context of the given kubeconfig files that is not
 * registered yet (the cluster id is the context name, made a valid id). A context that fails
 * is logged and skipped, so one unreachable cluster does not stop Paddock from starting.
 */
export async function importKubeconfigContexts(
  files: readonly string[],
  registry: DatasourceClusterRegistry,
  logger: Logger,
): Promise<string[]> {
  const imported: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      logger.warn({ file, err }, 'cannot read kubeconfig to import');
      continue;
    }
    const doc = parse(text) as { contexts?: { name?: unknown }[] } | null;
    for (const entry of doc?.contexts ?? []) {
      if (typeof entry.name !== 'string') continue;
      const id = clusterIdFor(entry.name);
      if ((await registry.get(id)) !== undefined) continue;
      try {
        await registry.importFromKubeconfig({
          kubeconfig: text,
          context: entry.name,
          localFiles: 'read',
          baseDir: dirname(file),
          id,
          name: entry.name,
        });
        imported.push(id);
        logger.info({ clusterId: id, context: entry.name }, 'imported cluster from kubeconfig');
      } catch (err) {
        logger.warn({ context: entry.name, err }, 'cannot import kubeconfig context');
      }
    }
  }
  return imported;
}

/** A cluster id (`[a-z0-9-]`, at most 63 characters) derived from a context name. */
export function clusterIdFor(contextName: string): string {
  const id = contextName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return id === '' ? 'cluster' : id;
}
