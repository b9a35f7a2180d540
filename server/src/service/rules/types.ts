import type { Instruction } from 'dockerfile-ast';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { Localized } from '../locale';
import type { DockerfileModel, Stage } from '../model';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

/** Where the rule docs live: `docs/rules/<id>.md` of the repository (en; `.zh-cn.md` for Chinese). */
export const RULE_DOCS_BASE = 'https://github.com/docksmith/docksmith/blob/main/docs/rules/';

export function ruleDocsUrl(id: string): string {
  return `${RULE_DOCS_BASE}${id}.md`;
}

/** One finding of a rule. */
export interface Finding {
  /** The offending word, flag or command: precise, not the whole line. */
  readonly range: Range;
  /** Which of the rule's messages to use (default `'default'`). */
  readonly message?: string;
  /** Values for `{0}`, `{1}`, ... in the message. */
  readonly args?: readonly (string | number)[];
  /** JSON-serialisable payload for the rule's fix (goes into `Diagnostic.data`). */
  readonly data?: unknown;
  /** Why no fix is offered for this finding (shown as the disabled code action's reason). */
  readonly noFixReason?: Localized;
  readonly unnecessary?: boolean;
  readonly deprecated?: boolean;
  /** Related places, e.g. the earlier instruction a finding refers to. */
  readonly related?: readonly {
    readonly range: Range;
    readonly message: Localized;
    readonly args?: readonly (string | number)[];
  }[];
}

export interface RuleContext {
  readonly model: DockerfileModel;
  /**
   * The top-level instructions to check, in document order: the whole file for a `file` rule; for a
   * `stage` rule, one scope at a time: the instructions before the first FROM, or one stage's.
   */
  readonly instructions: readonly Instruction[];
  /** The stages to check: every stage for a `file` rule; none or the one stage of the scope for a `stage` rule. */
  readonly stages: readonly Stage[];
  report(finding: Finding): void;
}

/**
 * What a rule's findings depend on, so an edit re-runs only what it can change.
 * - `stage`: the findings for a scope (the instructions before the first FROM, or one stage) depend
 *   only on that scope's text and line, the text before the first FROM (parser directives, global
 *   ARGs), the stages it is built FROM (`FROM build`, recursively) and the stage names of the file.
 *   The rule must iterate `ctx.instructions` / `ctx.stages`, never `model.instructions` /
 *   `model.stages`, and may report only inside the scope.
 * - `family`: like `stage`, and also the stages built FROM the scope's stage (recursively), e.g. a rule
 *   that asks whether a later stage needs what this one leaves behind.
 * - `file`: anything else (a rule that compares stages with each other); re-run on every version.
 */
export type RuleScope = 'stage' | 'family' | 'file';

/** A proposed edit for one finding. */
export interface FixProposal {
  readonly title: Localized;
  readonly titleArgs?: readonly (string | number)[];
  readonly edits: readonly TextEdit[];
  /** The safe, obvious fix: applied by fix-all and `docksmith lint --fix`. */
  readonly preferred: boolean;
}

export interface FixContext {
  readonly model: DockerfileModel;
  /** The finding's range and data as they came back in the diagnostic. */
  readonly range: Range;
  readonly data: unknown;
}

export interface Rule {
  /** kebab-case; the file name, `Diagnostic.code`, the settings key. */
  readonly id: string;
  readonly severity: Severity;
  /** hadolint (`DL3059`) and BuildKit (`JSONArgsRecommended`) equivalents. */
  readonly peers: readonly string[];
  /** At least `default`; templates with `{0}`... */
  readonly messages: Readonly<Record<string, Localized>>;
  /** Instruction keywords the rule is about (listed in their hover). */
  readonly instructions: readonly string[];
  readonly scope: RuleScope;
  check(ctx: RuleContext): void;
  /** Quick fixes for one finding; [] when none can be made safe here. */
  fix?(ctx: FixContext): readonly FixProposal[];
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
