#!/usr/bin/env node
// Enforces the one-way dependency direction of ARCHITECTURE.md:
//   config, errors -> domain -> rbac -> adapters (store, identity, datasources, access,
//   controllers, apps, alerting, logging, fleet-index)
//   -> entry points (resolvers, authproxy) -> server -> main/cli/agent
// A module may import from a lower layer or from its own folder. Adapters never import each
// other, entry points never import each other nor an adapter, and src/ never imports
// kubesim/, tests/, bench/ or scripts/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const src = join(root, 'src');

const layerOf = {
  errors: 0,
  config: 0,
  domain: 1,
  rbac: 2,
  store: 3,
  identity: 3,
  datasources: 3,
  access: 3,
  controllers: 3,
  apps: 3,
  alerting: 3,
  logging: 3,
  'fleet-index': 3,
  resolvers: 4,
  authproxy: 4,
  server: 5,
  cli: 6,
  agent: 6,
  'main.ts': 6,
};
const adapters = new Set([
  'store',
  'identity',
  'datasources',
  'access',
  'controllers',
  'apps',
  'alerting',
  'logging',
  'fleet-index',
]);
const entryPoints = new Set(['resolvers', 'authproxy']);

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* walk(full);
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) yield full;
  }
}

function topFolder(file) {
  const rel = relative(src, file);
  if (rel.startsWith('..')) return undefined;
  return rel.split(sep)[0];
}

const importPattern =
  /(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const problems = [];

for (const file of walk(src)) {
  const from = topFolder(file);
  if (!(from in layerOf)) {
    problems.push(
      `${relative(root, file)}: folder src/${from} has no layer in scripts/check-imports.mjs`,
    );
    continue;
  }
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(importPattern)) {
    const spec = match[1] ?? match[2];
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(file), spec);
    const rel = relative(root, target);
    const to = topFolder(target);
    const where = `${relative(root, file)} imports ${spec}`;
    if (to === undefined) {
      problems.push(`${where}: src/ must not import ${rel.split(sep)[0]}/`);
      continue;
    }
    if (to === from) continue;
    if (!(to in layerOf)) {
      problems.push(`${where}: unknown folder src/${to}`);
    } else if (layerOf[to] > layerOf[from]) {
      problems.push(
        `${where}: src/${from} (layer ${layerOf[from]}) may not depend on src/${to} (layer ${layerOf[to]})`,
      );
    } else if (adapters.has(from) && adapters.has(to)) {
      problems.push(`${where}: adapters do not import each other; share a port in src/domain`);
    } else if (entryPoints.has(from) && (entryPoints.has(to) || adapters.has(to))) {
      problems.push(`${where}: entry points get ports through the request context, not src/${to}`);
    } else if (from === 'server' && adapters.has(to)) {
      problems.push(`${where}: only src/main.ts and src/cli pick concrete adapters`);
    }
  }
}

if (problems.length > 0) {
  console.error(`Import direction violations (${problems.length}):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log('imports: dependency direction ok');
