// Types of trim-language-client.mjs, for the tests that import it.
import type { Plugin } from 'esbuild';

export const FEATURES_LEFT_OUT: readonly string[];
export function trimClient(source: string, file?: string): string;
export function trimApi(source: string, file?: string): string;
export const trimLanguageClientPlugin: Plugin;
export const REEXPORTING_MODULES: readonly string[];
export function copyReExports(source: string, file?: string): string;
