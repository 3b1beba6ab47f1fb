#!/usr/bin/env node
// Runs the compiled test suite with mocha. `--unit` runs only tests/unit (no services needed);
// further arguments are passed to mocha (e.g. a file glob or --grep).
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const rest = args.filter((a) => a !== '--unit');
const outDir = process.env.PADDOCK_TEST_OUT_DIR ?? 'dist';
const hasSpec = rest.some((a) => !a.startsWith('-'));
const specs = hasSpec
  ? []
  : unitOnly
    ? [`${outDir}/tests/unit/**/*.test.js`]
    : [`${outDir}/tests/**/*.test.js`];

const result = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/mocha/bin/mocha.js'),
    '--reporter',
    join(root, 'scripts/summary-reporter.cjs'),
    '--timeout',
    '60000',
    '--exit',
    ...specs,
    ...rest,
  ],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
