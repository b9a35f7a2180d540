/**
 * The RUN merge: consecutive RUN instructions joined into one, without changing what the build does.
 *
 * Docker runs every RUN as `<shell> -c <body>` in a fresh shell and stops the build at the first
 * non-zero exit status. The merged RUN must do exactly that in one shell:
 *
 * - "&&" mode (the usual case): `P1 && P2 && ... && Pn`, where each part Pi is the RUN's body,
 *   cleaned (trailing `;` and whitespace dropped, a trailing `# comment` moved to its own comment
 *   line), grouped with `{ ...; }` when it is a list (`a; b`, `a & b`, `a &`) or, after the first
 *   part, an AND-OR list with `||` (`x && a || b` would run `b` when `x` fails), and wrapped in a
 *   subshell `( ... )` when it changes shell state that a later part would see (`cd`, `export`,
 *   assignments, `set`, `umask`, `trap`, functions, `exit`, background jobs, ...), unless it is the
 *   last part.
 * - "errexit" mode, when a part other than the last relies on `set -e` (POSIX ignores `-e` in every
 *   command of an AND-OR list but the last, subshells included, so such a part cannot go in front
 *   of `&&`): `set -e; (P1); (P2); Pn`. Each part runs as a subshell (errexit inherited only when
 *   the part enables it first thing anyway or cannot tell the difference; otherwise `set +e` first),
 *   and the outer `set -e` stops the build with the failing part's status, as Docker would.
 *   Parts whose failure `-e` catches exactly (a plain command or pipeline without state) stay bare.
 *
 * Everything is read through the shell parser (tree-sitter-bash); a part the parser cannot read
 * completely is never merged. The property test (test/unit/merge.property.test.ts) executes the
 * original RUNs one by one and the merged RUN and compares status, output and files.
 */
import type { Flag, From, Instruction } from 'dockerfile-ast';
import { Run } from 'dockerfile-ast';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { Localized } from './locale';
import { type DockerfileModel, isPosixShell, type Stage } from './model';
import type { Rule } from './rules/types';
import {
  effectiveInstruction,
  findAll,
  mapScriptOffset,
  hasError,
  isExecForm,
  joinContinuations,
  literalWord,
  type ShellScript,
  type ShNode,
  walk,
} from './shell';
import { collectSuppressions, type Suppressions } from './suppression';
import { detach } from './textCache';
import { expandVariables } from './variables';

/** A group of consecutive RUN instructions (top-level instructions: RUN, or ONBUILD RUN). */
export interface RunGroup {
  readonly runs: readonly Instruction[];
}

/** Why a merge is not offered: shown in the diagnostic's related information and as `disabled.reason`. */
export interface MergeRefusal {
  readonly reason: Localized;
  /** A stable code for the reason (tests and telemetry; never shown). */
  readonly code: string;
  /** Where the problem is, when it has a place. */
  readonly range?: Range;
}

export interface MergeEdits {
  readonly edits: TextEdit[];
  readonly mode: 'and' | 'errexit';
}

export type MergePlan = MergeEdits | MergeRefusal;

export function isMergeEdits(plan: MergePlan): plan is MergeEdits {
  return 'edits' in plan;
}

const RULE_ID = 'consecutive-run';

// ---------------------------------------------------------------------------------------------
// Groups

/** The flags of a RUN as a comparable key (a set: order does not matter). */
function flagsKey(run: Instruction, model: DockerfileModel): string {
  const flags: Flag[] = run instanceof Run ? run.getFlags() : [];
  return flags
    .map((f) => model.document.getText(f.getRange()))
    .sort()
    .join('\u0000');
}

/**
 * Grouping keys, kept on the instruction (null: never in a group): the groups and each plan read
 * them, thousands of times per analysis, and a property read is several times cheaper than a
 * WeakMap's. A later version of the document
 * reuses an instruction object only where its text and lines are unchanged (incrementalParse.ts).
 */
const GROUP_KEY = Symbol('groupKey');

/** The grouping key of an instruction: same key = may be merged; undefined = never in a group. */
function groupKey(outer: Instruction, model: DockerfileModel): string | undefined {
  const held = outer as { [GROUP_KEY]?: string | null };
  let key = held[GROUP_KEY];
  if (key === undefined) held[GROUP_KEY] = key = computeGroupKey(outer, model) ?? null;
  return key ?? undefined;
}

function computeGroupKey(outer: Instruction, model: DockerfileModel): string | undefined {
  const run = effectiveInstruction(outer);
  if (run.getKeyword() !== 'RUN' || !(run instanceof Run) || isExecForm(run)) return undefined;
  if (run.getArguments().length === 0) return undefined;
  return `${outer === run ? 'RUN' : 'ONBUILD'}\u0001${flagsKey(run, model)}`;
}

/**
 * Every group of 2+ consecutive RUNs (only comments and blank lines between) of one stage, with
 * the same flags (compared as sets), all in shell form (exec form splits a group), all plain RUN or
 * all ONBUILD RUN. A `# docksmith ignore=consecutive-run` (or `# hadolint ignore=DL3059`) above a
 * RUN starts a new group there: that RUN is meant to be its own layer.
 */
export function consecutiveRunGroups(
  model: DockerfileModel,
  /** Only the groups among these top-level instructions (a stage rule's scope); default: the whole file. */
  instructions: readonly Instruction[] = model.instructions,
): RunGroup[] {
  const suppressions = runSuppressions(model);
  const groups: RunGroup[] = [];
  let current: Instruction[] = [];
  let currentKey: string | undefined;
  const flush = () => {
    if (current.length >= 2) groups.push({ runs: current });
    current = [];
    currentKey = undefined;
  };
  for (const instruction of instructions) {
    // A group never spans two stages.
    if (instruction.getKeyword() === 'FROM') flush();
    const key = groupKey(instruction, model);
    const line = instruction.getRange().start.line;
    if (key === undefined) {
      flush();
      continue;
    }
    if (key !== currentKey || suppressions.isSuppressed(RULE_ID, line)) flush();
    current.push(instruction);
    currentKey = key;
  }
  flush();
  return groups;
}

const suppressionCache = new WeakMap<DockerfileModel, Suppressions>();

function runSuppressions(model: DockerfileModel): Suppressions {
  let suppressions = suppressionCache.get(model);
  if (!suppressions) suppressionCache.set(model, (suppressions = collectSuppressions(model, [SUPPRESSION_RULE])));
  return suppressions;
}

/** The instructions of the stage of `instruction` (FROM first), or those before the first FROM. */
function segmentOf(model: DockerfileModel, instruction: Instruction): readonly Instruction[] | undefined {
  const stage = model.stageOf(instruction);
  if (stage) return stage.instructions;
  const prologue = model.scopes()[0];
  return prologue && prologue.stages.length === 0 ? prologue.instructions : undefined;
}

/** Only what `collectSuppressions` reads: the id and the peers. */
const SUPPRESSION_RULE: Rule = {
  id: RULE_ID,
  severity: 'info',
  peers: ['DL3059'],
  messages: {},
  instructions: ['RUN'],
  scope: 'stage',
  check: () => undefined,
};

/** Edits merging every group that can be merged safely (the "merge all" source action, fix-all). */
export function mergeAllEdits(model: DockerfileModel): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const group of consecutiveRunGroups(model)) {
    const plan = planMerge(model, group.runs);
    if (isMergeEdits(plan)) edits.push(...plan.edits);
  }
  return edits;
}

// ---------------------------------------------------------------------------------------------
// Reasons

function refuse(code: string, en: string, zh: string, range?: Range): MergeRefusal {
  return range ? { code, reason: { en, 'zh-cn': zh }, range } : { code, reason: { en, 'zh-cn': zh } };
}

// ---------------------------------------------------------------------------------------------
// The shell in effect

interface ShellInvocation {
  readonly errexit: boolean;
  readonly xtrace: boolean;
  readonly bash: boolean;
}

/** Reads `SHELL ["exe", options..., "-c"]`; a string when the merge cannot reason about it. */
function readShell(words: readonly string[]): ShellInvocation | { problem: 'posix' | 'options' } {
  if (!isPosixShell(words)) return { problem: 'posix' };
  const exe = words[0]!.replace(/\\/g, '/').split('/').pop()!.toLowerCase();
  let i = 1;
  if (exe === 'busybox') {
    if (words[1] !== 'sh' && words[1] !== 'ash') return { problem: 'options' };
    i = 2;
  }
  let errexit = false;
  let xtrace = false;
  let sawC = false;
  for (; i < words.length; i++) {
    const word = words[i]!;
    if (sawC) return { problem: 'options' }; // words after the script argument shift $0...
    if (word === '--posix' || word === '--norc' || word === '--noprofile') continue;
    if (/^[-+][a-zA-Z]+$/.test(word)) {
      const on = word[0] === '-';
      const letters = word.slice(1);
      if (/[ils]/.test(letters)) return { problem: 'options' }; // login, interactive, stdin
      if (letters.includes('e')) errexit = on;
      if (letters.includes('x')) xtrace = on;
      if (letters.includes('o')) {
        const option = words[++i];
        if (option === undefined) return { problem: 'options' };
        if (option === 'errexit') errexit = on;
        else if (option === 'xtrace') xtrace = on;
      }
      if (letters.endsWith('c')) sawC = true;
      else if (letters.includes('c')) return { problem: 'options' };
      continue;
    }
    return { problem: 'options' };
  }
  if (!sawC) return { problem: 'options' };
  return { errexit, xtrace, bash: exe === 'bash' };
}

/** Base images that are Windows (their RUN runs under `cmd /S /C` unless a SHELL says otherwise). */
const WINDOWS_IMAGE =
  /windows|nanoserver|servercore|chocolatey|(^|\/)microsoft\/(iis|aspnet|dotnet-framework)(:|$)|dotnet\/framework\//i;

const windowsCache = new WeakMap<Stage, boolean>();

/** A stage whose base image looks like Windows runs RUN under `cmd /S /C` unless SHELL says otherwise (memoised). */
function looksWindows(model: DockerfileModel, stage: Stage, depth = 0): boolean {
  const cached = windowsCache.get(stage);
  if (cached !== undefined) return cached;
  let windows = false;
  const from: From = stage.from;
  // The image as written (dockerfile-ast's getImageName() re-reads the file's variables on every call).
  const full = from.getArguments()[0]?.getValue();
  if (full && depth <= 16) {
    const line = from.getRange().start.line;
    const parent = model.parentStage(stage);
    if (parent && parent !== stage) windows = looksWindows(model, parent, depth + 1);
    else {
      const image = expandVariables(full, (name) => model.resolveVariable(name, line)?.value, model.escape);
      windows = WINDOWS_IMAGE.test(image);
    }
  }
  windowsCache.set(stage, windows);
  return windows;
}

// ---------------------------------------------------------------------------------------------
// Reading one part

type Errexit = 'none' | 'leading' | 'other';

interface DocLine {
  /** The line's text without its line break (trailing whitespace removed for continued lines). */
  readonly text: string;
  /** A line of the shell script (not a comment or blank line that Docker drops). */
  readonly code: boolean;
  /** For code lines after the first: where the line starts in the script. */
  readonly scriptOffset: number;
}

interface Part {
  readonly outer: Instruction;
  /** 1-based line of the RUN, for messages. */
  readonly lineNumber: number;
  readonly statements: readonly ShNode[];
  readonly async: boolean;
  /** More than one statement, or a trailing `&`: needs grouping for `&&` to apply to all of it. */
  readonly list: boolean;
  readonly readsUnderscore: boolean;
  /** The part starts a background job (`&` anywhere): the document range of the first `&`. */
  readonly background: boolean;
  readonly backgroundRange: Range | undefined;
  /**
   * How the part behaves in the shell, read when first asked (once per part: a rebased copy shares
   * them): what the edits need, and a refusal only with a SHELL that traces (`-x`). A diagnostic
   * asks for the refusal alone, so a first analysis does not read them.
   */
  readonly facts: () => PartFacts;
  /** The part's trailing shell comment (`RUN make # build`), if any. */
  readonly trailingComment: string | undefined;
  /** The script's tree and where its commands start and end in it (script offsets). */
  readonly root: ShNode;
  readonly coreStart: number;
  readonly coreEnd: number;
  /** Document offsets. */
  readonly lineStart: number;
  readonly bodyStart: number;
  readonly end: number;
}

interface PartFacts {
  /** A single AND-OR list with `||` at its top level. */
  readonly hasOr: boolean;
  readonly stateful: boolean;
  readonly errexit: Errexit;
  /** Behaves the same whether `-e` is on or off when it starts. */
  readonly insensitive: boolean;
  /** Can stand bare at the top level under `set -e`: `-e` catches exactly its failure. */
  readonly bareUnderErrexit: boolean;
  readonly readsOptions: boolean;
}

/** How a part is laid out in the document: what only the edits need (`partLayout`). */
interface PartLayout {
  /** Comment lines Docker dropped between the RUN keyword and the body (`RUN \` + comments + body). */
  readonly beforeBody: readonly string[];
  /** Comment lines Docker dropped after the end of the part's commands. */
  readonly after: readonly string[];
  /** The part's commands as document lines (first line from the first command). */
  readonly lines: readonly DocLine[];
  /** Indenting its continuation lines would not change the script. */
  readonly shiftable: boolean;
  /** The whitespace before the body when it starts on a line of its own (`RUN \` then the body); else undefined. */
  readonly bodyIndent: string | undefined;
}

const STATE_COMMANDS = new Set([
  'cd',
  'pushd',
  'popd',
  'export',
  'unset',
  'set',
  'umask',
  'source',
  '.',
  'alias',
  'unalias',
  'exec',
  'exit',
  'logout',
  'trap',
  'shopt',
  'ulimit',
  'readonly',
  'local',
  'declare',
  'typeset',
  'hash',
  'shift',
  'getopts',
  'read',
  'mapfile',
  'readarray',
  'let',
  'enable',
  'eval',
  'return',
  'break',
  'continue',
  'setopt',
  'unsetopt',
  'emulate',
  'suspend',
  'disown',
  'select',
  'coproc',
]);

/** POSIX special built-ins: assignments before them stay in the shell. */
const SPECIAL_BUILTINS = new Set([
  ':',
  '.',
  'break',
  'continue',
  'eval',
  'exec',
  'exit',
  'export',
  'readonly',
  'return',
  'set',
  'shift',
  'times',
  'trap',
  'unset',
]);

const ARITHMETIC_ASSIGN = new Set(['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '^=', '|=', '++', '--']);

/** Nodes in which added whitespace would change a word. */
const TEXTUAL = new Set([
  'word',
  'string',
  'raw_string',
  'ansi_c_string',
  'translated_string',
  'string_content',
  'concatenation',
  'simple_expansion',
  'expansion',
  'number',
  'comment',
  'heredoc_body',
  'heredoc_content',
  'heredoc_start',
  'heredoc_end',
  'regex',
  'extglob_pattern',
  'variable_name',
  'special_variable_name',
  'file_descriptor',
]);

const COMPOUND = new Set([
  'compound_statement',
  'subshell',
  'if_statement',
  'while_statement',
  'for_statement',
  'c_style_for_statement',
  'case_statement',
  'function_definition',
  'select_statement',
]);

/** The literal name of a simple command, looking through `command`/`builtin`. */
function effectiveName(command: ShNode): string | undefined {
  const nameNode = command.children.find((c) => c.field === 'name');
  if (!nameNode) return undefined;
  const first = nameNode.children[0];
  const name = first ? literalWord(first) : undefined;
  if (name === undefined || nameNode.children.length !== 1) return isPath(nameNode) ? '/' : undefined;
  if (name === 'command' || name === 'builtin') {
    for (const arg of command.children.filter((c) => c.field === 'argument')) {
      const value = literalWord(arg);
      if (value === undefined) return undefined;
      if (value.startsWith('-')) {
        if (name === 'command' && /^-[a-zA-Z]*[vV]/.test(value)) return name; // `command -v x`: a lookup
        continue;
      }
      return value;
    }
    return name;
  }
  return name;
}

/** A computed command name with a literal `/` (`$HOME/bin/x`) is a file: never a builtin or function. */
function isPath(nameNode: ShNode): boolean {
  let found = false;
  walk(nameNode, (n) => {
    if (found) return false;
    if (n.type === 'simple_expansion' || n.type === 'expansion' || n.type === 'command_substitution') return false;
    if ((n.type === 'word' || n.type === 'string_content' || n.type === 'raw_string') && n.text.includes('/'))
      found = true;
    return !found;
  });
  return found;
}

function isArithmeticRoot(node: ShNode): boolean {
  return (
    node.type === 'arithmetic_expansion' ||
    node.type === 'c_style_for_statement' ||
    (node.type === 'compound_statement' && node.children[0]?.type === '((')
  );
}

function assignsInArithmetic(node: ShNode): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (!n.named && ARITHMETIC_ASSIGN.has(n.type) && n.parent && n.parent.type !== 'variable_assignment') found = true;
    return !found;
  });
  return found;
}

/** Does the script change shell state a later command in the same shell would see? */
function changesState(root: ShNode): boolean {
  let found = false;
  walk(root, (n) => {
    if (found) return false;
    switch (n.type) {
      case 'subshell':
      case 'command_substitution':
      case 'process_substitution':
        return n === root; // a child shell: its state dies with it
      case 'function_definition':
      case 'declaration_command':
      case 'unset_command':
      case 'variable_assignments':
      case 'for_statement':
      case 'select_statement':
      case 'c_style_for_statement':
        found = true;
        return false;
      case 'variable_assignment':
        if (n.parent?.type !== 'command') found = true;
        return !found;
      case '&':
        found = true; // a background job: `$!`, `wait`
        return false;
      case 'expansion':
        if (n.children.some((c) => c.field === 'operator' && (c.type === ':=' || c.type === '='))) found = true;
        return !found;
      case 'command': {
        const name = effectiveName(n);
        if (name === undefined || STATE_COMMANDS.has(name)) found = true;
        else if (name === 'printf' && n.children.some((c) => c.field === 'argument' && c.text === '-v')) found = true;
        else if (SPECIAL_BUILTINS.has(name) && n.children.some((c) => c.type === 'variable_assignment')) found = true;
        return !found;
      }
      default:
        if (isArithmeticRoot(n) && assignsInArithmetic(n)) found = true;
        return !found;
    }
  });
  return found;
}

/** Does a `set` command (literal words) turn errexit on? undefined when its words are not literal. */
function setEnablesErrexit(command: ShNode): boolean | undefined {
  const args = command.children.filter((c) => c.field === 'argument');
  let enables = false;
  for (let i = 0; i < args.length; i++) {
    const value = literalWord(args[i]!);
    if (value === undefined) return undefined;
    if (value === '--' || value === '-') break;
    if (!/^[-+][a-zA-Z]+$/.test(value)) break; // positional parameters from here on
    const on = value[0] === '-';
    const letters = value.slice(1);
    if (letters.includes('e')) enables = on;
    if (letters.includes('o')) {
      const option = args[i + 1] ? literalWord(args[i + 1]!) : undefined;
      if (args[i + 1] && option === undefined) return undefined;
      if (option === 'errexit') enables = on;
      i++;
    }
  }
  return enables;
}

/** Does the part rely on errexit anywhere (or might it: `eval`, `source`, non-literal `set`)? */
function errexitUse(root: ShNode, statements: readonly ShNode[]): Errexit {
  let relies = false;
  walk(root, (n) => {
    if (relies) return false;
    if (n.type !== 'command') return true;
    const name = effectiveName(n);
    if (name === 'set') {
      if (setEnablesErrexit(n) !== false) relies = true;
    } else if (name === 'shopt' || name === 'trap') {
      // `shopt -s -o errexit`; bash's ERR trap is skipped in the same places as errexit
      let args = n.children.filter((c) => c.field === 'argument').map((c) => literalWord(c));
      if (name === 'trap') args = args.slice(args[0] === '--' ? 2 : 1); // the signals, after the action
      if (args.some((a) => a === undefined || a === 'errexit' || a === 'ERR')) relies = true;
    } else if (name === 'eval' || name === 'source' || name === '.' || name === undefined) {
      relies = true;
    }
    return !relies;
  });
  if (!relies) return 'none';
  const first = statements[0];
  if (first && first.type === 'command' && effectiveName(first) === 'set' && setEnablesErrexit(first) === true) {
    return 'leading';
  }
  return 'other';
}

function statementsOf(node: ShNode): ShNode[] {
  return node.children.filter((c) => c.named && c.type !== 'comment');
}

/** Errexit on or off at the start makes no difference: one statement, no compound, no `eval`... */
function errexitInsensitive(root: ShNode, statements: readonly ShNode[], async: boolean): boolean {
  if (statements.length !== 1 || async) return false;
  let ok = true;
  walk(root, (n) => {
    if (!ok) return false;
    if (COMPOUND.has(n.type)) ok = false;
    else if (n.type === 'command_substitution' || n.type === 'process_substitution') {
      if (statementsOf(n).length > 1 || n.children.some((c) => c.type === ';' || c.type === '&')) ok = false;
    } else if (n.type === 'command') {
      const name = effectiveName(n);
      if (name === undefined || name === 'eval' || name === 'source' || name === '.' || name === 'trap') ok = false;
      if (name === 'set' || name === 'exec' || name === 'shopt') ok = false;
    }
    return ok;
  });
  return ok;
}

/** `-e` stops the shell exactly when this statement fails: a command or pipeline, not negated. */
function caughtByErrexit(statement: ShNode): boolean {
  let node = statement;
  if (node.type === 'redirected_statement') {
    const body = node.children.find((c) => c.field === 'body');
    if (!body) return false;
    node = body;
  }
  if (node.type === 'command' || node.type === 'test_command') return true;
  if (node.type === 'pipeline') return !node.children.some((c) => c.type === 'negated_command');
  return false;
}

/**
 * Is there an `||` in the statement's AND-OR list? tree-sitter-bash attaches a redirect after the
 * last command of a list to the whole list (`a || b > f` as `(a || b) > f`), so look through
 * redirected statements too: `||` and `&&` only appear at one level outside compound commands.
 */
function hasTopLevelOr(statement: ShNode): boolean {
  if (statement.type === 'redirected_statement') {
    const body = statement.children.find((c) => c.field === 'body');
    return body !== undefined && hasTopLevelOr(body);
  }
  if (statement.type !== 'list') return false;
  return statement.children.some((c) => c.type === '||' || hasTopLevelOr(c));
}

function readsSpecial(root: ShNode, name: string): boolean {
  let found = false;
  walk(root, (n) => {
    if (n.type === 'special_variable_name' && n.text === name) found = true;
    return !found;
  });
  return found;
}

/** Can whitespace be added at script offset `offset` without changing any word? */
function gapAt(root: ShNode, offset: number): boolean {
  let node: ShNode | undefined = root;
  let deepest = root;
  while (node) {
    deepest = node;
    node = node.children.find((c) => c.start < offset && offset < c.end);
  }
  return deepest.named && !TEXTUAL.has(deepest.type);
}

interface LineInfo {
  start: number;
  end: number; // before the line break (and before a `\r`)
  next: number; // start of the next line
}

function lineAt(text: string, offset: number): LineInfo {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let nl = text.indexOf('\n', offset);
  if (nl < 0) nl = text.length;
  const end = nl > start && text[nl - 1] === '\r' ? nl - 1 : nl;
  return { start, end, next: Math.min(nl + 1, text.length) };
}

function isCommentLine(line: string): boolean {
  return line.trimStart().startsWith('#');
}

/**
 * Parts by the shell scripts of their RUN: the array is the same object while the RUN is unchanged
 * across versions (see DockerfileModel.shellScripts), so an edit elsewhere does not read the RUN
 * again; its three document offsets are rebased on the way out. A part outlives the version it was
 * read from: the texts it keeps are detached from that version's text (detach()).
 */
const partCache = new WeakMap<readonly ShellScript[], Part | MergeRefusal>();

function readPart(model: DockerfileModel, outer: Instruction): Part | MergeRefusal {
  const scripts = model.shellScripts(outer);
  let part = partCache.get(scripts);
  if (!part) {
    part = readPartUncached(model, outer, scripts);
    partCache.set(scripts, part);
  }
  if (!('outer' in part)) return part; // a refusal: positions only
  // The RUN's lines are unchanged, but text before it may have moved them: rebase the offsets.
  const lineStart = model.document.offsetAt({ line: outer.getRange().start.line, character: 0 });
  const delta = lineStart - part.lineStart;
  return delta === 0 ? part : { ...part, lineStart, bodyStart: part.bodyStart + delta, end: part.end + delta };
}

function readPartUncached(
  model: DockerfileModel,
  outer: Instruction,
  scripts: readonly ShellScript[],
): Part | MergeRefusal {
  const text = model.document.getText();
  const doc = model.document;
  const run = effectiveInstruction(outer);
  const lineNumber = outer.getRange().start.line + 1;
  const keywordRange = run.getInstructionRange();
  if (run instanceof Run && run.getHeredocs().length > 0) {
    return refuse(
      'heredoc',
      `the RUN on line ${lineNumber} uses a heredoc (\`<<\`)`,
      `第 ${lineNumber} 行的 RUN 使用了 heredoc（\`<<\`）`,
      keywordRange,
    );
  }
  const script: ShellScript | undefined = scripts[0];
  if (!script || scripts.length !== 1 || script.kind !== 'body') {
    return refuse(
      'no-script',
      `the shell script of the RUN on line ${lineNumber} cannot be read`,
      `无法读取第 ${lineNumber} 行 RUN 的 shell 脚本`,
      keywordRange,
    );
  }
  const root = script.root;
  const args = run.getArguments();
  const bodyStart = doc.offsetAt(args[0]!.getRange().start);
  const end = doc.offsetAt(outer.getRange().end);
  if (joinContinuations(text, bodyStart, end, model.escape).body !== script.text) {
    return refuse(
      'no-script',
      `the shell script of the RUN on line ${lineNumber} cannot be read`,
      `无法读取第 ${lineNumber} 行 RUN 的 shell 脚本`,
      keywordRange,
    );
  }
  if (hasError(root)) {
    return refuse(
      'parse-error',
      `the shell parser cannot read all of the RUN on line ${lineNumber}`,
      `shell 解析器无法完整读取第 ${lineNumber} 行的 RUN`,
      keywordRange,
    );
  }
  // Top level: statements separated by `;` / `&`, maybe a comment at the end.
  const statements: ShNode[] = [];
  let comment: ShNode | undefined;
  let async = false;
  for (const child of root.children) {
    if (child.type === 'comment' && !comment) comment = child;
    else if (child.type === ';') async = false;
    else if (child.type === '&') async = true;
    else if (child.named && !comment) {
      statements.push(child);
      async = false;
    } else {
      return refuse(
        'parse-error',
        `the shell parser cannot read all of the RUN on line ${lineNumber}`,
        `shell 解析器无法完整读取第 ${lineNumber} 行的 RUN`,
        keywordRange,
      );
    }
  }
  if (statements.length === 0) {
    return refuse(
      'empty',
      `the RUN on line ${lineNumber} has no command`,
      `第 ${lineNumber} 行的 RUN 没有命令`,
      keywordRange,
    );
  }
  const separators = root.children.filter((c) => c.type === '&' || c.type === ';');
  const hasInnerAsync = separators.some((c) => c.type === '&');
  const lineStart = lineAt(text, doc.offsetAt(outer.getRange().start)).start;
  // The instruction must not end with a dangling escape (`RUN a \` at the end of the file).
  const lastLine = lineAt(text, end);
  const lastContent = text.slice(lastLine.start, Math.min(lastLine.end, end)).replace(/[ \t]+$/, '');
  if (lastContent.endsWith(model.escape) && !isCommentLine(lastContent)) {
    return refuse(
      'parse-error',
      `the RUN on line ${lineNumber} ends with a line continuation`,
      `第 ${lineNumber} 行的 RUN 以续行符结尾`,
      keywordRange,
    );
  }
  const ampersand = findAll(root, '&')[0];
  let facts: PartFacts | undefined;
  return {
    outer,
    lineNumber,
    statements,
    async,
    list: statements.length > 1 || async,
    readsUnderscore: readsSpecial(root, '_'),
    background: ampersand !== undefined,
    backgroundRange: ampersand ? script.rangeOf(ampersand) : undefined,
    facts: () => (facts ??= partFacts(root, statements, async, hasInnerAsync)),
    trailingComment: comment?.text.trim(),
    root,
    coreStart: statements[0]!.start,
    coreEnd: statements[statements.length - 1]!.end,
    lineStart,
    bodyStart,
    end,
  };
}

function partFacts(root: ShNode, statements: readonly ShNode[], async: boolean, hasInnerAsync: boolean): PartFacts {
  const stateful = changesState(root) || hasInnerAsync || async;
  const insensitive = errexitInsensitive(root, statements, async || hasInnerAsync);
  const single = statements.length === 1 && !async;
  return {
    hasOr: single && hasTopLevelOr(statements[0]!),
    stateful,
    errexit: errexitUse(root, statements),
    insensitive,
    bareUnderErrexit: single && !stateful && insensitive && caughtByErrexit(statements[0]!),
    readsOptions: readsSpecial(root, '-'),
  };
}

/**
 * The document lines of a part (read in `model`, whose text holds the part at its offsets): its
 * commands, and the comment lines Docker dropped before and after them.
 */
function partLayout(model: DockerfileModel, part: Part): PartLayout {
  const text = model.document.getText();
  const doc = model.document;
  const { pieces } = joinContinuations(text, part.bodyStart, part.end, model.escape);
  const { root, end } = part;
  const keywordRange = effectiveInstruction(part.outer).getInstructionRange();
  // Offsets in this document, through the pieces read from it now (the part may have been read from
  // an earlier version, where the same text sat at other offsets).
  const docStart = mapScriptOffset(pieces, part.coreStart);
  const docEnd = mapScriptOffset(pieces, part.coreEnd - 1) + 1;
  // Classify the document lines of the instruction: script lines (pieces) vs dropped lines.
  const codeStarts = new Map<number, number>(); // document line start -> script offset
  for (const piece of pieces.slice(1)) codeStarts.set(piece.to, piece.from);
  const lines: DocLine[] = [];
  const beforeBody: string[] = [];
  const after: string[] = [];
  // Comment lines Docker dropped between the RUN keyword and the body (`RUN \` + comments + body).
  for (let pos = lineAt(text, doc.offsetAt(keywordRange.end)).next; pos < docStart;) {
    const line = lineAt(text, pos);
    if (line.start >= lineAt(text, docStart).start) break;
    const content = text.slice(line.start, line.end);
    if (!codeStarts.has(line.start) && isCommentLine(content)) beforeBody.push(detach(content.trim()));
    pos = line.next;
  }
  // The lines of the part's commands.
  let pos = docStart;
  let first = true;
  let shiftable = true;
  while (pos < docEnd) {
    const line = lineAt(text, pos);
    const from = first ? docStart : line.start;
    const to = Math.min(line.end, docEnd);
    const isLast = docEnd <= line.end;
    let content = text.slice(from, to);
    const code = first || codeStarts.has(line.start);
    if (!code && content.trim() === '') {
      pos = line.next;
      continue; // an empty continuation line: Docker drops it
    }
    if (!isLast) content = content.replace(/[ \t]+$/, '');
    const scriptOffset = first ? part.coreStart : (codeStarts.get(line.start) ?? -1);
    if (code && !first && !gapAt(root, scriptOffset)) shiftable = false;
    lines.push({ text: detach(content), code, scriptOffset });
    first = false;
    if (isLast) break;
    pos = line.next;
  }
  // Lines after the commands: keep the comment lines Docker dropped.
  for (let p = lineAt(text, docEnd).next; p < end && p > docEnd;) {
    const line = lineAt(text, p);
    const content = text.slice(line.start, line.end);
    if (!codeStarts.has(line.start) && isCommentLine(content)) after.push(detach(content.trim()));
    if (line.next <= p) break;
    p = line.next;
  }
  return {
    beforeBody,
    after,
    lines,
    shiftable,
    bodyIndent: /^[ \t]*$/.test(text.slice(lineAt(text, docStart).start, docStart))
      ? detach(text.slice(lineAt(text, docStart).start, docStart))
      : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Layout of the file

const indentCache = new WeakMap<DockerfileModel, string>();

/** The continuation indentation the file uses (the most common first continuation line), else 4 spaces. */
/** Per instruction object (they outlive a version when unchanged): its first continuation line's indent. */
const indentOfInstruction = new WeakMap<Instruction, string>();

/** The indentation of an instruction's first non-blank, non-comment continuation line ('' when none). */
function firstContinuationIndent(model: DockerfileModel, instruction: Instruction): string {
  const text = model.document.getText();
  const range = instruction.getRange();
  for (let line = range.start.line + 1; line <= range.end.line; line++) {
    const start = model.document.offsetAt({ line, character: 0 });
    const content = text.slice(start, lineAt(text, start).end);
    if (content.trim() === '' || isCommentLine(content)) continue;
    // relative to the instruction's own indentation
    const instructionStart = model.document.offsetAt(range.start);
    const base = text.slice(lineAt(text, instructionStart).start, instructionStart);
    let indent = /^[ \t]*/.exec(content)![0];
    if (/^[ \t]+$/.test(base) && indent.startsWith(base) && indent.length > base.length)
      indent = indent.slice(base.length);
    return indent;
  }
  return '';
}

export function continuationIndent(model: DockerfileModel): string {
  const cached = indentCache.get(model);
  if (cached !== undefined) return cached;
  const counts = new Map<string, number>();
  for (const instruction of model.instructions) {
    let indent = indentOfInstruction.get(instruction);
    if (indent === undefined) {
      indent = firstContinuationIndent(model, instruction);
      indentOfInstruction.set(instruction, indent);
    }
    if (indent !== '') counts.set(indent, (counts.get(indent) ?? 0) + 1);
  }
  let best = '    ';
  let bestCount = 0;
  for (const [indent, count] of counts) {
    if (count > bestCount) {
      best = indent;
      bestCount = count;
    }
  }
  indentCache.set(model, best);
  return best;
}

const SUPPRESSION_PRAGMA = /^#\s*(docksmith|hadolint)\s+ignore\s*=/i;

// ---------------------------------------------------------------------------------------------
// The plan

/**
 * Plans the merge of `runs` (top-level RUN or ONBUILD RUN instructions, consecutive in one stage)
 * into one RUN: the edits, or why it cannot be done without changing the build.
 */
export function planMerge(model: DockerfileModel, runs: readonly Instruction[]): MergePlan {
  return plan(model, runs, true);
}

/**
 * Why `runs` cannot be merged, or undefined when they can: planMerge's checks without writing the
 * edits (what a diagnostic needs; the edits are written when the fix is asked for).
 */
export function mergeRefusal(model: DockerfileModel, runs: readonly Instruction[]): MergeRefusal | undefined {
  const result = plan(model, runs, false);
  return isMergeEdits(result) ? undefined : result;
}

function plan(model: DockerfileModel, runs: readonly Instruction[], withEdits: boolean): MergePlan {
  if (runs.length < 2) return refuse('single', 'there is only one RUN', '只有一条 RUN');
  const first = runs[0]!;
  const stage = model.stageOf(first);
  const segment = segmentOf(model, first);
  const key = groupKey(first, model);
  if (!segment || key === undefined) {
    return refuse('not-run', 'not a shell-form RUN', '不是 shell 格式的 RUN', first.getRange());
  }
  const index = segment.indexOf(first);
  for (let i = 1; i < runs.length; i++) {
    const run = runs[i]!;
    if (segment[index + i] !== run) {
      return refuse(
        'not-consecutive',
        'the RUN instructions are not consecutive',
        '这些 RUN 指令并不相邻',
        run.getRange(),
      );
    }
    if (groupKey(run, model) !== key) {
      return refuse(
        'flags',
        `the RUN on line ${run.getRange().start.line + 1} has different flags or form`,
        `第 ${run.getRange().start.line + 1} 行的 RUN 参数或格式不同`,
        run.getRange(),
      );
    }
  }
  // The shell: the stage's SHELL at the RUN (for ONBUILD: the image's final SHELL, which the trigger uses).
  const onbuild = effectiveInstruction(first) !== first;
  const shellAt = onbuild ? segment[segment.length - 1]! : first;
  const shellWords = model.shellFor(shellAt);
  const shell = readShell(shellWords);
  const shellText = `[${shellWords.map((w) => JSON.stringify(w)).join(', ')}]`;
  if ('problem' in shell) {
    return shell.problem === 'posix'
      ? refuse('shell', `the SHELL ${shellText} is not a POSIX shell`, `SHELL ${shellText} 不是 POSIX shell`)
      : refuse(
          'shell-options',
          `the SHELL ${shellText} runs with options the merge cannot keep (a login or interactive shell reads its startup files for every RUN)`,
          `SHELL ${shellText} 的选项无法在合并后保持（登录或交互式 shell 每条 RUN 都会读取启动文件）`,
        );
  }
  const defaultShell = shellWords.length === 2 && shellWords[0] === '/bin/sh' && shellWords[1] === '-c';
  if (defaultShell && stage && looksWindows(model, stage)) {
    return refuse(
      'shell',
      'the base image looks like Windows, where RUN uses `cmd /S /C`',
      '基础镜像看起来是 Windows，RUN 使用的是 `cmd /S /C`',
      stage.from.getRange(),
    );
  }
  if (shell.bash && model.resolveVariable('BASH_ENV', first.getRange().start.line)) {
    return refuse(
      'shell-options',
      'bash reads `$BASH_ENV` at the start of every RUN',
      'bash 在每条 RUN 开始时都会读取 `$BASH_ENV`',
    );
  }

  const parts: Part[] = [];
  for (const run of runs) {
    const part = readPart(model, run);
    if ('reason' in part) return part;
    parts.push(part);
  }
  for (const part of parts.slice(1)) {
    if (part.readsUnderscore) {
      return refuse(
        'special-variable',
        `the RUN on line ${part.lineNumber} reads \`$_\`, which would see the previous part's last argument`,
        `第 ${part.lineNumber} 行的 RUN 读取了 \`$_\`，合并后它会得到上一部分的最后一个参数`,
      );
    }
  }
  for (const part of parts.slice(0, -1)) {
    if (part.background) {
      return refuse(
        'background',
        `the RUN on line ${part.lineNumber} starts a background job (\`&\`): Docker stops it when that RUN ends, merged it would keep running while the next commands run`,
        `第 ${part.lineNumber} 行的 RUN 启动了后台任务（\`&\`）：Docker 会在这条 RUN 结束时停止它，合并后它会在后面的命令执行时继续运行`,
        part.backgroundRange,
      );
    }
  }
  const n = parts.length;
  // Whether a part but the last relies on `set -e`: read only where it decides something.
  const errexitMode = () => shell.errexit || parts.slice(0, -1).some((p) => p.facts().errexit !== 'none');
  if (shell.xtrace && !shell.errexit) {
    if (errexitMode()) {
      return refuse(
        'shell-options',
        'a RUN relies on `set -e` and the SHELL traces commands (`-x`): the `set -e` the merge needs would show in the trace',
        '有 RUN 依赖 `set -e`，而 SHELL 会跟踪命令（`-x`）：合并所需的 `set -e` 会出现在跟踪输出中',
      );
    }
  }

  const text = model.document.getText();
  const doc = model.document;
  // Comments between the RUNs: kept in place (suppression comments move above the merged RUN).
  const hoisted: string[] = [];
  const between: string[][] = [[]];
  for (let i = 1; i < n; i++) {
    const comments: string[] = [];
    const from = parts[i - 1]!.end;
    const to = parts[i]!.lineStart;
    for (let p = lineAt(text, from).next; p < to;) {
      const line = lineAt(text, p);
      const content = text.slice(line.start, line.end).trim();
      if (content !== '') {
        if (!content.startsWith('#')) {
          const lineNo = doc.positionAt(line.start).line + 1;
          return refuse(
            'unexpected-line',
            `line ${lineNo} between the RUN instructions is not a comment`,
            `RUN 指令之间的第 ${lineNo} 行不是注释`,
          );
        }
        if (SUPPRESSION_PRAGMA.test(content)) hoisted.push(content);
        else comments.push(content);
      }
      if (line.next <= p) break;
      p = line.next;
    }
    between.push(comments);
  }

  // mergeRefusal() reads only that this is not a refusal.
  if (!withEdits) return { edits: [], mode: 'and' };
  const errexitOn = errexitMode();
  const mode = errexitOn ? 'errexit' : 'and';
  const layouts = parts.map((part) => partLayout(model, part));
  // Layout (what only the edits need).
  const escape = model.escape;
  const firstLine = lineAt(text, parts[0]!.lineStart);
  const eol = text[firstLine.end] === '\r' ? '\r\n' : '\n';
  const runIndent = /^[ \t]*/.exec(text.slice(firstLine.start, firstLine.end))![0];
  const unit = continuationIndent(model);
  const indent = runIndent + unit;

  /** The part's lines with a prefix on the first and a suffix on the last; continuation lines shifted. */
  const render = (layout: PartLayout, prefix: string, suffix: string, shift: boolean): string[] => {
    // Keep the continuation lines where they were relative to the body: shifted by the indentation
    // added before it (`RUN x \` + `  y` becomes `    x \` + `      y`).
    let by = unit;
    if (layout.bodyIndent !== undefined)
      by = indent.startsWith(layout.bodyIndent) ? indent.slice(layout.bodyIndent.length) : '';
    const out = layout.lines.map((line, k) => (k > 0 && line.code && shift && layout.shiftable ? by : '') + line.text);
    out[0] = prefix + out[0]!;
    out[out.length - 1] = out[out.length - 1]! + suffix;
    return out;
  };

  const joiner = errexitOn ? ';' : ' &&';
  const body: string[] = []; // the new RUN's lines from the body start on
  if (errexitOn && !shell.errexit) body.push('set -e');
  parts.forEach((part, i) => {
    const last = i === n - 1;
    const facts = part.facts();
    let prefix = '';
    let suffix = '';
    if (!errexitOn) {
      if (!last && facts.stateful) {
        prefix = '( ';
        suffix = part.async ? ' & )' : ' )';
      } else if (part.list || (i > 0 && facts.hasOr)) {
        prefix = '{ ';
        suffix = part.async ? ' & }' : '; }';
      }
    } else {
      // A part that reads `$-` must not see the merge's `set -e` (`set +e` restores `$-` exactly).
      const safeWithErrexit =
        shell.errexit || (!facts.readsOptions && (facts.errexit === 'leading' || facts.insensitive));
      if (!last) {
        if (!(facts.bareUnderErrexit && facts.errexit === 'none' && (shell.errexit || !facts.readsOptions))) {
          prefix = safeWithErrexit ? '( ' : '( set +e; ';
          suffix = part.async ? ' & )' : ' )';
        }
      } else {
        if (!safeWithErrexit) prefix = 'set +e; ';
        if (part.async) suffix = ' &';
      }
    }
    const onFirstLine = body.length === 0;
    // The first RUN keeps its text up to the body (comments there included); the others' go.
    const layout = layouts[i]!;
    const before = [...(i > 0 ? layout.beforeBody : []), ...(part.trailingComment ? [part.trailingComment] : [])];
    if (onFirstLine) hoisted.push(...before);
    else {
      body[body.length - 1] += `${joiner} ${escape}`;
      if (i > 0) for (const comment of [...layouts[i - 1]!.after, ...between[i]!]) body.push(indent + comment);
      for (const comment of before) body.push(indent + comment);
    }
    const lines = render(layout, prefix, suffix, !onFirstLine);
    if (!onFirstLine) lines[0] = indent + lines[0]!;
    body.push(...lines);
  });
  const lastPart = parts[n - 1]!;
  const trailing = layouts[n - 1]!.after.map((c) => eol + runIndent + c).join('');
  const edits: TextEdit[] = [];
  if (hoisted.length > 0) {
    // Above the RUN, but not between it and the ignore comments that apply to it.
    let line = doc.positionAt(parts[0]!.lineStart).line;
    while (line > 0) {
      const above = lineAt(text, doc.offsetAt({ line: line - 1, character: 0 }));
      if (!SUPPRESSION_PRAGMA.test(text.slice(above.start, above.end).trim())) break;
      line--;
    }
    const at = { line, character: 0 };
    edits.push({ range: { start: at, end: at }, newText: hoisted.map((c) => runIndent + c + eol).join('') });
  }
  edits.push({
    range: { start: doc.positionAt(parts[0]!.bodyStart), end: doc.positionAt(lastPart.end) },
    newText: body.join(eol) + trailing,
  });
  return { edits, mode };
}
