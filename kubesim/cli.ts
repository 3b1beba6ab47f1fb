#!/usr/bin/env node
// kubesim --clusters N [--port P] [--seed demo|scale:<nodes>x<pods>|fleet:<nodes>x<pods>] [--state-dir DIR]
//         [--admin-port P] [--kube-version v1.32.4] [--anonymous disabled|health|enabled]

import { parseArgs } from 'node:util';
import { startKubesim } from './start.js';

const USAGE =
  'usage: kubesim --clusters N [--port P] [--seed demo|scale:<nodes>x<pods>] [--state-dir DIR] [--admin-port P] [--kube-version vX.Y.Z] [--anonymous disabled|health|enabled] [--service-account ns/name]... [--http2] [--churn events-per-second]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clusters: { type: 'string', default: '1' },
      port: { type: 'string' },
      seed: { type: 'string' },
      'state-dir': { type: 'string' },
      'admin-port': { type: 'string' },
      'kube-version': { type: 'string' },
      anonymous: { type: 'string' },
      'service-account': { type: 'string', multiple: true },
      http2: { type: 'boolean' },
      churn: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const clusters = Number(values.clusters);
  if (!Number.isInteger(clusters) || clusters < 1)
    throw new Error(`--clusters must be a positive integer\n${USAGE}`);
  const anonymous = values.anonymous;
  if (anonymous !== undefined && !['disabled', 'health', 'enabled'].includes(anonymous)) {
    throw new Error(`--anonymous must be disabled, health or enabled`);
  }
  const sim = await startKubesim({
    clusters,
    port: values.port ? Number(values.port) : undefined,
    seed: values.seed,
    stateDir: values['state-dir'] ?? '.kubesim',
    adminPort: values['admin-port'] ? Number(values['admin-port']) : 0,
    kubeVersion: values['kube-version'],
    anonymous: anonymous as 'disabled' | 'health' | 'enabled' | undefined,
    serviceAccounts: values['service-account'],
    http2: values.http2,
    churn: values.churn ? Number(values.churn) : 0,
  });
  process.stdout.write(
    `kubesim: ${sim.clusters.length} cluster(s) ready; state in ${sim.stateFile}; admin ${sim.adminUrl}\n`,
  );
  for (const c of sim.clusters.slice(0, 10)) process.stdout.write(`  ${c.name}  ${c.url}\n`);
  if (sim.clusters.length > 10)
    process.stdout.write(`  ... and ${sim.clusters.length - 10} more\n`);
  const shutdown = () => {
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`kubesim: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
