import type { DockerfileModel } from './model';
import type { Rule } from './rules/types';

/**
 * Suppression comments:
 * - `# docksmith ignore=rule-a,rule-b`: the next instruction;
 * - `# docksmith global ignore=rule-a`: the whole file;
 * - `# hadolint ignore=DL3059` / `# hadolint global ignore=DL3059`, mapped through each rule's peers;
 * - BuildKit's `# check=skip=JSONArgsRecommended,StageNameCasing` (or `skip=all`) parser directive.
 */
export interface Suppressions {
  isFileSuppressed(ruleId: string): boolean;
  /** Is `ruleId` suppressed for a finding that starts on `line`? */
  isSuppressed(ruleId: string, line: number): boolean;
}

const PRAGMA = /^#\s*(docksmith|hadolint)\s+(global\s+)?ignore\s*=\s*([^\s#]+(?:\s*,\s*[^\s#]+)*)/i;

export function collectSuppressions(model: DockerfileModel, rules: readonly Rule[]): Suppressions {
  const byName = new Map<string, string[]>();
  const add = (name: string, id: string) => {
    const key = name.toLowerCase();
    const list = byName.get(key) ?? [];
    list.push(id);
    byName.set(key, list);
  };
  for (const rule of rules) {
    add(rule.id, rule.id);
    for (const peer of rule.peers) add(peer, rule.id);
  }
  const resolve = (names: string[], tool: string): string[] =>
    names.flatMap((n) => {
      const key = n.trim().toLowerCase();
      if (key === 'all' && tool === 'docksmith') return rules.map((r) => r.id);
      return byName.get(key) ?? [];
    });

  const fileWide = new Set<string>();
  /** instruction start line -> suppressed rule ids */
  const perInstruction = new Map<number, Set<string>>();
  const text = model.document;

  for (const directive of model.directives) {
    if (directive.getName().toLowerCase() !== 'check') continue;
    for (const part of directive.getValue().split(';')) {
      const [key, value] = part.split('=', 2).map((s) => s.trim());
      if (key?.toLowerCase() === 'skip' && value) {
        for (const id of value.toLowerCase() === 'all'
          ? rules.filter((r) => r.peers.length > 0).map((r) => r.id)
          : resolve(value.split(','), 'buildkit'))
          fileWide.add(id);
      }
    }
  }

  // dockerfile-ast takes any `# a b=c` line at the top for a parser directive: read those too.
  const commentLines = [...model.directives, ...model.comments];
  for (const comment of commentLines) {
    const line = comment.getRange().start.line;
    const content = text.getText(comment.getRange()).trim();
    const m = PRAGMA.exec(content);
    if (!m) continue;
    const tool = m[1]!.toLowerCase();
    const ids = resolve(m[3]!.split(','), tool);
    if (m[2]) {
      for (const id of ids) fileWide.add(id);
      continue;
    }
    const next = model.nextInstructionAfter(line);
    if (!next) continue;
    const start = next.getRange().start.line;
    const set = perInstruction.get(start) ?? new Set<string>();
    for (const id of ids) set.add(id);
    perInstruction.set(start, set);
  }

  return {
    isFileSuppressed: (id) => fileWide.has(id),
    isSuppressed: (id, line) => {
      if (fileWide.has(id)) return true;
      if (perInstruction.size === 0) return false;
      const instruction = model.instructionAtLine(line);
      if (!instruction) return false;
      return perInstruction.get(instruction.getRange().start.line)?.has(id) ?? false;
    },
  };
}
