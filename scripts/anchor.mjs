// The anchor the benchmarks compare Docksmith with: dockerfile-language-server-nodejs (a devDependency).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The anchor's `docker-langserver` script and its version. */
export function anchorEntry() {
  const pkgPath = require.resolve('dockerfile-language-server-nodejs/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['docker-langserver'];
  return { path: join(dirname(pkgPath), bin), version: pkg.version };
}
