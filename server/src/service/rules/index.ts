import type { Rule } from './types';
import jsonArgs from './json-args';

/** The registry: every rule, one import each. A registry test checks ids, tests, docs and messages. */
export const RULES: readonly Rule[] = [jsonArgs];
