/**
 * Rule test helpers. Expected findings are marked in the Dockerfile text with «...»:
 *   expectFindings('json-args', 'FROM a\nCMD «nginx -g x»\n')
 * checks that the rule reports exactly those ranges (and nothing else).
 */
import assert from 'node:assert/strict';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import { TextDocument as TD } from 'vscode-languageserver-textdocument';
import { RULES } from '../../server/src/service/rules';
import type { FixProposal, Rule } from '../../server/src/service/rules/types';
import type { Lang } from '../../server/src/service/locale';
import { doc, getService } from './service';

export const OPEN = '«';
export const CLOSE = '»';

export function rule(id: string): Rule {
  const found = RULES.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id} in the registry`);
  return found;
}

/** Strips «» markers; returns the clean text and the marked ranges. */
export function parseMarkers(marked: string): { text: string; ranges: Range[] } {
  let text = '';
  const starts: number[] = [];
  const offsets: [number, number][] = [];
  for (const ch of marked) {
    if (ch === OPEN) starts.push(text.length);
    else if (ch === CLOSE) {
      const s = starts.pop();
      if (s === undefined) throw new Error('unbalanced » in test text');
      offsets.push([s, text.length]);
    } else text += ch;
  }
  if (starts.length) throw new Error('unbalanced « in test text');
  const document = TD.create('file:///markers', 'dockerfile', 1, text);
  const ranges = offsets
    .map(([s, e]) => ({ start: document.positionAt(s), end: document.positionAt(e) }))
    .sort((a, b) => a.start.line - b.start.line || a.start.character - b.start.character);
  return { text, ranges };
}

/** Diagnostics of one rule on a text (with default severities unless `rules` says otherwise). */
export async function findings(
  id: string,
  text: string,
  lang: Lang = 'en',
): Promise<{ document: TextDocument; diagnostics: Diagnostic[] }> {
  const service = await getService();
  const document = doc(text);
  const diagnostics = service.validate(document, { lang }).filter((d) => d.code === id);
  return { document, diagnostics };
}

function show(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** Asserts the rule reports exactly the «marked» ranges. */
export async function expectFindings(id: string, marked: string): Promise<Diagnostic[]> {
  const { text, ranges } = parseMarkers(marked);
  const { diagnostics } = await findings(id, text);
  assert.deepEqual(
    diagnostics.map((d) => show(d.range)),
    ranges.map(show),
    `findings of ${id} on:\n${text}\ngot: ${JSON.stringify(diagnostics.map((d) => d.message))}`,
  );
  return diagnostics;
}

export async function expectNoFindings(id: string, text: string): Promise<void> {
  await expectFindings(id, text);
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return TD.applyEdits(TD.create('file:///edit', 'dockerfile', 1, text), [...edits]);
}

/** The fix proposals the rule makes for its n-th finding on the text. */
export async function fixes(id: string, text: string, index = 0): Promise<readonly FixProposal[]> {
  const service = await getService();
  const { document, diagnostics } = await findings(id, text);
  const diagnostic = diagnostics[index];
  assert.ok(diagnostic, `${id} reported no finding #${index} on:\n${text}`);
  const r = rule(id);
  assert.ok(r.fix, `${id} has no fix`);
  const data = (diagnostic.data as { data?: unknown } | undefined)?.data;
  return r.fix({ model: service.getModel(document), range: diagnostic.range, data });
}

/** Applies the rule's preferred (or only) fix for its n-th finding and returns the new text. */
export async function applyFix(id: string, text: string, index = 0): Promise<string> {
  const proposals = await fixes(id, text, index);
  const chosen = proposals.find((p) => p.preferred) ?? proposals[0];
  assert.ok(chosen, `${id} offered no fix for finding #${index}`);
  return applyEdits(text, chosen.edits);
}
