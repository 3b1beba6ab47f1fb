/**
 * Narrows Prometheus text exposition to the clusters a caller may see: a sample whose
 * `cluster` or `cluster_id` label names another cluster is dropped; samples without such a
 * label (process, HTTP, store) are kept, as are the HELP and TYPE lines.
 */

const CLUSTER_LABELS = new Set(['cluster', 'cluster_id']);

export function filterClusterSeries(text: string, visible: ReadonlySet<string>): string {
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line === '') {
      kept.push(line);
      continue;
    }
    const cluster = clusterLabelOf(line);
    if (cluster === undefined || visible.has(cluster)) kept.push(line);
  }
  return kept.join('\n');
}

/**
 * The value of a sample line's `cluster`/`cluster_id` label, read with the exposition
 * format's escapes (`\\`, `\"`, `\n`) so a quote inside another label's value cannot fake one.
 */
export function clusterLabelOf(line: string): string | undefined {
  const open = line.indexOf('{');
  if (open < 0) return undefined;
  let i = open + 1;
  while (i < line.length && line[i] !== '}') {
    const eq = line.indexOf('=', i);
    if (eq < 0 || line[eq + 1] !== '"') return undefined;
    const name = line.slice(i, eq).trim();
    let value = '';
    let j = eq + 2;
    for (; j < line.length && line[j] !== '"'; j++) {
      if (line[j] === '\\') {
        j++;
        value += line[j] === 'n' ? '\n' : (line[j] ?? '');
      } else {
        value += line[j];
      }
    }
    if (CLUSTER_LABELS.has(name)) return value;
    i = j + 1;
    if (line[i] === ',') i++;
  }
  return undefined;
}
