// Types of cjs-constants.mjs, for the tests that import it.
import type { Plugin } from 'esbuild';

export function constantsModule(pkg: string, names?: readonly string[]): string;
export function cjsConstantsPlugin(packages: readonly string[], sources: string): Plugin;
