import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root directory, found by walking up to package.json, so a compiled test
 * finds committed files whether it was built into dist/ or into .build/<name>/.
 */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the compiled tests');
    dir = parent;
  }
  return dir;
}
