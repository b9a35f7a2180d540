import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-types';
import type { Diagnostic } from 'vscode-languageserver-types';
import { localize, type Lang } from './locale';
import type { DockerfileModel } from './model';
import type { Finding, Rule, RuleContext, Severity, SeveritySetting } from './rules/types';
import { ruleDocsUrl } from './rules/types';
import { collectSuppressions } from './suppression';
import { ShellParserPending } from './shell';

export interface ValidationSettings {
  readonly lang: Lang;
  /** `docksmith.rules`: rule id -> severity or off. */
  readonly rules?: Readonly<Record<string, SeveritySetting | undefined>>;
}

/** What a Docksmith diagnostic carries in `Diagnostic.data`. */
export interface DiagnosticData {
  readonly rule: string;
  readonly data?: unknown;
  /** Why the rule cannot fix this finding, in the diagnostic's language. */
  readonly noFix?: string;
}

export const SOURCE = 'docksmith';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function severityName(severity: DiagnosticSeverity | undefined): Severity {
  switch (severity) {
    case DiagnosticSeverity.Error:
      return 'error';
    case DiagnosticSeverity.Information:
      return 'info';
    case DiagnosticSeverity.Hint:
      return 'hint';
    default:
      return 'warning';
  }
}

export function effectiveSeverity(rule: Rule, settings: ValidationSettings): SeveritySetting {
  return settings.rules?.[rule.id] ?? rule.severity;
}

/**
 * Findings of `stage` rules per scope key (see DockerfileModel.scopes) and rule id: what a new version of
 * a document reuses from the previous one. Keep one per document.
 */
export class FindingsCache {
  private current = new Map<string, Map<string, readonly Finding[]>>();
  private next = new Map<string, Map<string, readonly Finding[]>>();

  /** The findings stored for a scope, moved into the generation being built. */
  take(key: string): Map<string, readonly Finding[]> {
    let entry = this.next.get(key);
    if (!entry) {
      entry = this.current.get(key) ?? new Map();
      this.next.set(key, entry);
    }
    return entry;
  }

  /** Ends a validation: only the scopes it used are kept. */
  commit(): void {
    this.current = this.next;
    this.next = new Map();
  }

  /** Ends a cancelled validation: keeps both generations' entries for the next run. */
  abandon(): void {
    for (const [key, entry] of this.next) this.current.set(key, entry);
    this.next = new Map();
  }

  get size(): number {
    return this.current.size;
  }
}

/** The diagnostic made of a finding, kept with the finding (findings of unchanged scopes are reused). */
const converted = new WeakMap<
  Finding,
  { severity: DiagnosticSeverity; lang: string; uri: string; diagnostic: Diagnostic }
>();

/**
 * Runs every enabled rule on the model, honouring suppression comments and severity settings.
 * `stage` rules run once per scope (the instructions before the first FROM, each stage); with a
 * cache, a scope whose key is unchanged since an earlier version reuses that version's findings.
 */
export function validateModel(
  model: DockerfileModel,
  rules: readonly Rule[],
  settings: ValidationSettings,
  isCancelled: () => boolean = () => false,
  cache: FindingsCache = new FindingsCache(),
): Diagnostic[] {
  return runSteps(validationSteps(model, rules, settings, cache), isCancelled);
}

/**
 * Runs validation steps to the end at once; [] when cancelled. A step that waits for the shell
 * parser to load (a deferred ShellParser) cannot be waited for here: it throws ShellParserPending,
 * for the caller to run the whole validation again once it has loaded.
 */
export function runSteps(
  steps: Generator<Promise<void> | void, Diagnostic[], void>,
  isCancelled: () => boolean = () => false,
): Diagnostic[] {
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    if (step.value) {
      steps.return([]);
      throw new ShellParserPending(step.value);
    }
    if (isCancelled()) {
      steps.return([]);
      return [];
    }
  }
}

/**
 * How many instructions the stage rules run on in one step, at least (a rule on one scope as large
 * counts alone): a step per rule and scope made ~840 steps of a first analysis of a 1,000-line file
 * of 28 stages, ~2,800 of a 5,000-line one, each resuming the validation and reading the clock
 * (runSliced), 2.5-3.7% of a cold open's main-thread instructions.
 */
export const STEP_WORK = 256;

/**
 * The validation as a series of steps (a file rule, or stage rules on scopes of at least
 * STEP_WORK instructions in all, per step): the
 * caller may stop between two steps (`return()`), e.g. to answer a request or because the document
 * changed; what the finished steps computed stays in the cache. A step may yield a promise: a rule
 * needed a script that only tree-sitter reads, and a deferred shell parser is loading it; the caller
 * goes on once the promise has settled, and the rule runs again.
 */
export function* validationSteps(
  model: DockerfileModel,
  rules: readonly Rule[],
  settings: ValidationSettings,
  cache: FindingsCache = new FindingsCache(),
): Generator<Promise<void> | void, Diagnostic[], void> {
  const suppressions = collectSuppressions(model, rules);
  const diagnostics: Diagnostic[] = [];
  const enabled: { rule: Rule; severity: DiagnosticSeverity }[] = [];
  for (const rule of rules) {
    const severity = effectiveSeverity(rule, settings);
    if (severity === 'off' || suppressions.isFileSuppressed(rule.id)) continue;
    enabled.push({ rule, severity: SEVERITY[severity] });
  }
  const add = (rule: Rule, severity: DiagnosticSeverity, findings: readonly Finding[]) => {
    for (let i = 0; i < findings.length; i++) {
      const finding = findings[i]!;
      if (suppressions.isSuppressed(rule.id, finding.range.start.line)) continue;
      // A finding reused from an earlier version keeps its diagnostic (same severity, language, document).
      const cached = converted.get(finding);
      if (cached && cached.severity === severity && cached.lang === settings.lang && cached.uri === model.uri) {
        diagnostics.push(cached.diagnostic);
        continue;
      }
      const diagnostic = toDiagnostic(rule, finding, severity, settings.lang, model.uri);
      converted.set(finding, { severity, lang: settings.lang, uri: model.uri, diagnostic });
      diagnostics.push(diagnostic);
    }
  };
  const run = (rule: Rule, instructions: RuleContext['instructions'], stages: RuleContext['stages']) => {
    const findings: Finding[] = [];
    try {
      rule.check({ model, instructions, stages, report: (finding) => void findings.push(finding) });
      return findings;
    } catch (error) {
      // The shell parser is loading: the caller waits for it and runs the rule again.
      if (error instanceof ShellParserPending) return error;
      // A rule bug must never take the server down; report it where it is visible.
      diagnostics.push({
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Hint,
        source: SOURCE,
        code: rule.id,
        message: `Docksmith internal error in rule ${rule.id}: ${error instanceof Error ? error.message : String(error)}`,
      });
      return undefined;
    }
  };
  let finished = false;
  try {
    for (let r = 0; r < enabled.length; r++) {
      const { rule, severity } = enabled[r]!;
      if (rule.scope !== 'file') continue;
      let findings = run(rule, model.instructions, model.stages);
      // Run again once the shell parser has loaded (the findings of the first run were dropped).
      while (findings instanceof ShellParserPending) {
        yield findings.loaded;
        findings = run(rule, model.instructions, model.stages);
      }
      add(rule, severity, findings ?? []);
      yield;
    }
    // Rule by rule, each over every scope in turn: a rule's code then runs many times in a row. On a
    // first analysis all of it runs for the first time, and scope by scope (every rule on one scope,
    // then the next) cost a generated 1,000-line file's cold open ~5 ms more CPU, warm ones too.
    const scopes = model.scopes().map((scope) => {
      const entry = cache.take(scope.key);
      return { scope, entry, familyEntry: scope.familyKey === scope.key ? entry : cache.take(scope.familyKey) };
    });
    let work = 0;
    for (let r = 0; r < enabled.length; r++) {
      const { rule, severity } = enabled[r]!;
      if (rule.scope === 'file') continue;
      for (let s = 0; s < scopes.length; s++) {
        const { scope, entry, familyEntry } = scopes[s]!;
        const ruleEntry = rule.scope === 'family' ? familyEntry : entry;
        let findings = ruleEntry.get(rule.id);
        const ran = !findings;
        if (!findings) {
          let result = run(rule, scope.instructions, scope.stages);
          while (result instanceof ShellParserPending) {
            yield result.loaded;
            result = run(rule, scope.instructions, scope.stages);
          }
          findings = result;
          if (findings) ruleEntry.set(rule.id, findings);
        }
        if (findings) add(rule, severity, findings);
        // A step every STEP_WORK instructions the rules ran on: a stage of thousands of lines is
        // not one step, nor is one rule on a small scope.
        if (ran) {
          work += scope.instructions.length;
          if (work >= STEP_WORK) {
            work = 0;
            yield;
          }
        }
      }
    }
    finished = true;
  } finally {
    if (finished) cache.commit();
    else cache.abandon();
  }
  diagnostics.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  return diagnostics;
}

function toDiagnostic(rule: Rule, finding: Finding, severity: DiagnosticSeverity, lang: Lang, uri: string): Diagnostic {
  const template = rule.messages[finding.message ?? 'default'] ?? rule.messages['default'];
  const message = template ? localize(template, lang, ...(finding.args ?? [])) : rule.id;
  const tags: DiagnosticTag[] = [];
  if (finding.unnecessary) tags.push(DiagnosticTag.Unnecessary);
  if (finding.deprecated) tags.push(DiagnosticTag.Deprecated);
  const data: DiagnosticData = {
    rule: rule.id,
    ...(finding.data === undefined ? {} : { data: finding.data }),
    ...(finding.noFixReason ? { noFix: localize(finding.noFixReason, lang) } : {}),
  };
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity,
    source: SOURCE,
    code: rule.id,
    codeDescription: { href: ruleDocsUrl(rule.id) },
    message,
    data,
  };
  if (tags.length > 0) diagnostic.tags = tags;
  if (finding.related && finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map((r) => ({
      location: { uri, range: r.range },
      message: localize(r.message, lang, ...(r.args ?? [])),
    }));
  }
  return diagnostic;
}
