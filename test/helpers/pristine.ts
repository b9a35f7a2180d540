/** Unpatched copies of the packages Docksmith patches (server/src/service/astPatches.ts, validatorPatches.ts). */
import { createRequire } from 'node:module';

/**
 * A second instance of the package `name`, its modules loaded again (so without the patches applied
 * to the first): the cache entries of the first are put back afterwards. The packages it requires
 * are the ones already loaded (dockerfile-utils' copy reads the patched dockerfile-ast).
 */
export function pristine<T>(name: string): T {
  const require = createRequire(__filename);
  const inPackage = (key: string) => key.includes(`/${name}/`);
  const saved = new Map<string, NodeJS.Module>();
  for (const key of Object.keys(require.cache))
    if (inPackage(key)) {
      saved.set(key, require.cache[key]!);
      delete require.cache[key];
    }
  try {
    return require(name) as T;
  } finally {
    for (const key of Object.keys(require.cache)) if (inPackage(key)) delete require.cache[key];
    for (const [key, module] of saved) require.cache[key] = module;
  }
}
