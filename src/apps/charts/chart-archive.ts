/**
 * A packaged chart (`.tgz`) opened in memory: its Chart.yaml, values.yaml, values.schema.json
 * and README, plus the archive itself for Helm. Sizes are bounded before anything is parsed.
 */
import { gunzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { PaddockError } from '../../errors/index.js';
import { readTar } from './tar-reader.js';

/** A chart archive larger than this is refused (Helm's own limit on a chart is 20 MiB). */
export const MAX_CHART_ARCHIVE_BYTES = 20 * 1024 * 1024;
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

export interface ChartMetadata {
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
  readonly description: string;
  readonly icon?: string;
  readonly keywords: readonly string[];
  readonly annotations: Readonly<Record<string, string>>;
}

export interface ChartArchive {
  readonly archive: Buffer;
  readonly metadata: ChartMetadata;
  readonly valuesYaml: string;
  /** Parsed values.yaml (an empty object when absent). */
  readonly values: Record<string, unknown>;
  readonly schema?: unknown;
  readonly readme?: string;
}

function invalidChart(why: string): PaddockError {
  return new PaddockError('BAD_REQUEST', `the chart archive is invalid: ${why}`, {
    reason: 'chart_invalid',
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads the fields of Chart.yaml Paddock shows. */
export function chartMetadataOf(raw: unknown): ChartMetadata {
  if (!isRecord(raw) || typeof raw.name !== 'string' || raw.version === undefined) {
    throw invalidChart('Chart.yaml has no name or version');
  }
  const annotations: Record<string, string> = {};
  if (isRecord(raw.annotations)) {
    for (const [k, v] of Object.entries(raw.annotations)) annotations[k] = String(v);
  }
  return {
    name: raw.name,
    version: String(raw.version),
    ...(raw.appVersion === undefined ? {} : { appVersion: String(raw.appVersion) }),
    description: typeof raw.description === 'string' ? raw.description : '',
    ...(typeof raw.icon === 'string' ? { icon: raw.icon } : {}),
    keywords: Array.isArray(raw.keywords) ? raw.keywords.map(String) : [],
    annotations,
  };
}

/** Opens a `.tgz` chart; BAD_REQUEST when it is not one. */
export function openChartArchive(archive: Buffer): ChartArchive {
  if (archive.length > MAX_CHART_ARCHIVE_BYTES) {
    throw new PaddockError('PAYLOAD_TOO_LARGE', 'the chart archive is larger than 20 MiB', {
      reason: 'chart_archive_too_large',
    });
  }
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (err) {
    throw invalidChart(`not gzip (${err instanceof Error ? err.message : String(err)})`);
  }
  const files = readTar(tar, { maxFiles: 5_000, maxBytes: MAX_UNPACKED_BYTES });
  // Files of the chart itself sit under one top folder; those of its subcharts under charts/.
  const chartYamlPath = [...files.keys()].find((p) => /^[^/]+\/Chart\.yaml$/.test(p));
  if (chartYamlPath === undefined) throw invalidChart('no Chart.yaml at the top');
  const top = chartYamlPath.slice(0, chartYamlPath.indexOf('/') + 1);
  const file = (name: string) => files.get(`${top}${name}`)?.toString('utf8');
  const parse = (name: string, textValue: string): unknown => {
    try {
      return parseYaml(textValue, { maxAliasCount: 1_000 });
    } catch (err) {
      throw invalidChart(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const metadata = chartMetadataOf(parse('Chart.yaml', file('Chart.yaml') ?? ''));
  const valuesYaml = file('values.yaml') ?? '';
  const parsedValues = valuesYaml.trim() === '' ? {} : parse('values.yaml', valuesYaml);
  if (!isRecord(parsedValues)) throw invalidChart('values.yaml is not a map');
  const schemaText = file('values.schema.json');
  let schema: unknown;
  if (schemaText !== undefined) {
    try {
      schema = JSON.parse(schemaText);
    } catch (err) {
      throw invalidChart(`values.schema.json: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const readmeName = [...files.keys()]
    .filter((p) => p.startsWith(top) && /^readme(\.md|\.txt)?$/i.test(p.slice(top.length)))
    .sort()[0];
  return {
    archive,
    metadata,
    valuesYaml,
    values: parsedValues,
    ...(schema === undefined ? {} : { schema }),
    ...(readmeName === undefined ? {} : { readme: files.get(readmeName)?.toString('utf8') }),
  };
}
