// Types of eager-modules.mjs, for the tests that import it.
export interface SourceMap {
  readonly mappings: string;
  readonly [key: string]: unknown;
}

export function generatedColumns(mappings: string): number[][];

export function eagerModuleFactories(
  code: string,
  map?: SourceMap,
): { code: string; map: SourceMap | undefined; factories: number; skipped: number };
