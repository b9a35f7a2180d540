// Types of array-loops.mjs, for the tests that import it.
import type { Plugin } from 'esbuild';
import type ts from 'typescript';

export function lowerArrayLoops(source: ts.SourceFile, checker: ts.TypeChecker): string;
export function arrayLoopsPlugin(tsconfig: string, sources: string): Plugin;
