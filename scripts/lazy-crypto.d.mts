// Types of lazy-crypto.mjs, for the tests that import it.
import type { Plugin } from 'esbuild';

export const LAZY_CRYPTO_SOURCE: string;
export const lazyCryptoPlugin: Plugin;
