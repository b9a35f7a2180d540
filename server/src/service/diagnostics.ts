import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-types';
import type { Diagnostic } from 'vscode-languageserver-types';
import { localize, type Lang } from './locale';
import type { DockerfileModel } from './model';
import type { Finding, Rule, Severity, SeveritySetting } from './rules/types';
import { ruleDocsUrl } from './rules/types';
import { collectSuppressions } from './suppression';

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

/** Runs every enabled rule on the model, honouring suppression comments and severity settings. */
export function validateModel(
  model: DockerfileModel,
  rules: readonly Rule[],
  settings: ValidationSettings,
  isCancelled: () => boolean = () => false,
): Diagnostic[] {
  const suppressions = collectSuppressions(model, rules);
  const diagnostics: Diagnostic[] = [];
  for (const rule of rules) {
    if (isCancelled()) return diagnostics;
    const severity = effectiveSeverity(rule, settings);
    if (severity === 'off' || suppressions.isFileSuppressed(rule.id)) continue;
    const report = (finding: Finding) => {
      if (suppressions.isSuppressed(rule.id, finding.range.start.line)) return;
      diagnostics.push(toDiagnostic(rule, finding, SEVERITY[severity], settings.lang, model.uri));
    };
    try {
      rule.check({ model, report });
    } catch (error) {
      // A rule bug must never take the server down; report it where it is visible.
      diagnostics.push({
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Hint,
        source: SOURCE,
        code: rule.id,
        message: `Docksmith internal error in rule ${rule.id}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
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
