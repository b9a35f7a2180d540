/**
 * Small facts about shell commands shared by several rules (apt-get installs, wrappers such as
 * `sudo`/`exec`, option parsing). Everything reads the tree-sitter-bash tree of shell.ts: no
 * regular expressions over shell text (a regex over one already-parsed word is fine).
 */
import { Add, Copy, type Flag, type Instruction } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import type { DockerfileModel, Stage } from './model';
import {
  effectiveInstruction,
  execWords,
  findAll,
  isExecForm,
  literalWord,
  perNode,
  walk,
  type ShellScript,
  type ShNode,
} from './shell';
import { expandVariables } from './variables';

/** A simple command seen through its wrappers (`sudo`, `exec`, `env X=1`, `nohup`, ...). */
export interface EffectiveCommand {
  /** The `command` node. */
  readonly node: ShNode;
  /** The word naming the program that really runs (`apt-get` in `sudo -E apt-get install`). */
  readonly nameNode: ShNode;
  /** That name as written (`/usr/bin/apt-get`). */
  readonly name: string;
  /** Its last path component (`apt-get`). */
  readonly base: string;
  /** The argument nodes after the effective name. */
  readonly args: readonly ShNode[];
  /** Every program name in the chain, wrappers first (`sudo`, `apt-get`). */
  readonly chain: readonly { readonly node: ShNode; readonly base: string }[];
}

/** A command's words as nodes: the name word, then the arguments (not redirects or assignments). */
export function wordNodes(command: ShNode): ShNode[] {
  const out: ShNode[] = [];
  for (const child of command.children) {
    if (child.field === 'name') out.push(child.children[0] ?? child);
    else if (child.field === 'argument') out.push(child);
  }
  return out;
}

export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  return slash >= 0 ? trimmed.slice(slash + 1) : trimmed;
}

/** Commands that run another command (`wrapperSkip` knows their options). */
export const WRAPPERS: ReadonlySet<string> = new Set([
  'sudo',
  'exec',
  'env',
  'nice',
  'nohup',
  'tini',
  'dumb-init',
  'time',
  'command',
  'builtin',
  'gosu',
  'su-exec',
]);

/** Options (with a value) of the wrappers `wrapperSkip` understands. */
const WRAPPER_VALUE_OPTIONS: Readonly<Record<string, ReadonlySet<string>>> = {
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-T', '-U', '--user', '--group']),
  exec: new Set(['-a']),
  env: new Set(['-u', '--unset', '-C', '--chdir', '-S']),
  nice: new Set(['-n', '--adjustment']),
  tini: new Set(['-p', '-e']),
  'dumb-init': new Set(['-r', '--rewrite']),
  time: new Set(['-f', '-o']),
};

/**
 * How many words a wrapper command takes before the command it runs, or undefined when
 * `words[0]` is not a wrapper (or the wrapped command cannot be known).
 */
export function wrapperSkip(words: readonly (string | undefined)[]): number | undefined {
  const first = words[0];
  if (first === undefined) return undefined;
  const base = basename(first);
  switch (base) {
    case 'sudo':
    case 'exec':
    case 'env':
    case 'nice':
    case 'nohup':
    case 'tini':
    case 'dumb-init':
    case 'time':
    case 'command':
    case 'builtin': {
      const valued = WRAPPER_VALUE_OPTIONS[base] ?? new Set<string>();
      let i = 1;
      while (i < words.length) {
        const w = words[i];
        if (w === undefined) return undefined;
        if (w === '--') return i + 1 < words.length ? i + 1 : undefined;
        if (base === 'command' && (w === '-v' || w === '-V')) return undefined; // looks up, does not run
        if (base === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) {
          i++;
          continue;
        }
        if (w.startsWith('-') && w.length > 1) {
          i += valued.has(w) ? 2 : 1;
          continue;
        }
        break;
      }
      return i < words.length ? i : undefined;
    }
    case 'gosu':
    case 'su-exec':
      return words.length > 2 ? 2 : undefined;
    default:
      return undefined;
  }
}

/**
 * The program names of a command, wrappers first (`sudo -E apt-get` -> `sudo`, `apt-get`); stops at
 * a name that is not a literal word. `index` is the word index of the last name in `nodes`.
 */
export function commandChain(command: ShNode): {
  readonly chain: readonly { readonly node: ShNode; readonly base: string }[];
  readonly nodes: readonly ShNode[];
  /** The word index of the effective program name; undefined when it is not a literal. */
  readonly index: number | undefined;
} {
  const nodes = wordNodes(command);
  const words = nodes.map((n) => literalWord(n));
  const chain: { node: ShNode; base: string }[] = [];
  let i = 0;
  for (;;) {
    const name = words[i];
    if (name === undefined) return { chain, nodes, index: undefined };
    chain.push({ node: nodes[i]!, base: basename(name) });
    const skip = wrapperSkip(words.slice(i));
    if (skip === undefined) return { chain, nodes, index: i };
    i += skip;
  }
}

/** The command that really runs, through any wrappers; undefined when its name is not a literal. */
export function effectiveCommand(command: ShNode): EffectiveCommand | undefined {
  const { chain, nodes, index } = commandChain(command);
  if (index === undefined) return undefined;
  const nameNode = nodes[index]!;
  const name = literalWord(nameNode)!;
  return { node: command, nameNode, name, base: basename(name), args: nodes.slice(index + 1), chain };
}

/**
 * The last path component of a command's name as written, without looking through wrappers. Every
 * rule that reads commands asks this of each one (through mayRun): kept per node.
 */
export const commandBase = perNode((command): string | undefined => {
  const name = command.children.find((c) => c.field === 'name')?.children[0];
  const value = name ? literalWord(name) : undefined;
  return value === undefined ? undefined : basename(value);
});

/**
 * Every simple command of a script seen through its wrappers, in source order. With `only`, just
 * the commands that may be one of those programs (a cheap filter on the name before the full look).
 */
export function effectiveCommands(root: ShNode, only?: ReadonlySet<string>): EffectiveCommand[] {
  const out: EffectiveCommand[] = [];
  for (const command of findAll(root, 'command')) {
    if (only && !mayRun(command, only)) continue;
    const effective = effectiveCommand(command);
    if (effective && (!only || only.has(effective.base))) out.push(effective);
  }
  return out;
}

/** The command runs one of `programs`, or a wrapper that may run one. */
export function mayRun(command: ShNode, programs: ReadonlySet<string>): boolean {
  const base = commandBase(command);
  return base !== undefined && (programs.has(base) || WRAPPERS.has(base));
}

/** The letters of a short-option cluster (`-yq` -> `yq`), or '' for anything else. */
export function shortFlags(word: string | undefined): string {
  return word !== undefined && /^-[A-Za-z0-9]+$/.test(word) ? word.slice(1) : '';
}

export type AptTool = 'apt-get' | 'apt' | 'aptitude';

const APT_TOOLS: ReadonlySet<string> = new Set(['apt-get', 'apt', 'aptitude']);
/** apt-get/apt options that take the next word as their value. */
const APT_VALUE_OPTIONS: ReadonlySet<string> = new Set([
  '-o',
  '-c',
  '-t',
  '-a',
  '--option',
  '--config-file',
  '--target-release',
  '--default-release',
  '--host-architecture',
]);

/** An `apt-get` / `apt` / `aptitude` command and its sub-command (`install`, `update`, ...). */
export interface AptCommand {
  readonly command: EffectiveCommand;
  readonly tool: AptTool;
  /** The sub-command word node. */
  readonly verb: ShNode;
  readonly verbText: string;
}

/** Every apt-get/apt/aptitude command of a tree with a literal sub-command, in source order (kept per tree). */
export const aptCommands = perNode((root): readonly AptCommand[] => {
  const commands: AptCommand[] = [];
  for (const command of effectiveCommands(root, APT_TOOLS)) {
    const apt = aptCommand(command);
    if (apt) commands.push(apt);
  }
  return commands;
});

/** The command as an apt-get/apt/aptitude command with a literal sub-command, if it is one. */
export function aptCommand(command: EffectiveCommand): AptCommand | undefined {
  if (!APT_TOOLS.has(command.base)) return undefined;
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    const value = literalWord(args[i]!);
    if (value === undefined) return undefined;
    if (value.startsWith('-')) {
      if (APT_VALUE_OPTIONS.has(value)) i++;
      continue;
    }
    return { command, tool: command.base as AptTool, verb: args[i]!, verbText: value };
  }
  return undefined;
}

const SIMULATE: ReadonlySet<string> = new Set(['--simulate', '--just-print', '--dry-run', '--recon', '--no-act']);

/** `apt-get -s install x`: a simulation, which installs nothing and never prompts. */
export function aptSimulates(command: AptCommand): boolean {
  return command.command.args.some((a) => {
    const value = literalWord(a);
    return value !== undefined && (SIMULATE.has(value) || shortFlags(value).includes('s'));
  });
}

/**
 * `apt-get install` / `apt install` / `aptitude install` commands (with the `install` word node),
 * simulations (`-s`) left out.
 */
export function aptGetInstalls(root: ShNode, tools: readonly AptTool[] = ['apt-get', 'apt', 'aptitude']): AptCommand[] {
  return aptCommands(root).filter((c) => c.verbText === 'install' && tools.includes(c.tool) && !aptSimulates(c));
}

/** `apt-get update` / `apt update` / `aptitude update` commands. */
export function aptGetUpdates(root: ShNode, tools: readonly AptTool[] = ['apt-get', 'apt', 'aptitude']): AptCommand[] {
  return aptCommands(root).filter((c) => c.verbText === 'update' && tools.includes(c.tool));
}

/**
 * The literal values of a command's `-o`/`--option` settings (`-o APT::Get::Assume-Yes=true`,
 * `-oAPT::...`, `--option=...`), for apt's configuration options.
 */
export function aptOptionSettings(command: EffectiveCommand): string[] {
  const out: string[] = [];
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    const value = literalWord(args[i]!);
    if (value === undefined) continue;
    if (value === '-o' || value === '--option') {
      const next = args[i + 1] ? literalWord(args[i + 1]!) : undefined;
      if (next !== undefined) out.push(next);
      i++;
    } else if (value.startsWith('--option=')) out.push(value.slice('--option='.length));
    else if (value.startsWith('-o') && value.length > 2 && !value.startsWith('--')) out.push(value.slice(2));
  }
  return out;
}

/** The script text nodes that can carry configuration text: words, strings, heredoc bodies. */
const TEXT_NODES: ReadonlySet<string> = new Set(['word', 'string', 'raw_string', 'concatenation', 'heredoc_body']);

/** True when some word or heredoc body of the script satisfies `test` (its literal text). */
export function someText(root: ShNode, test: (text: string) => boolean): boolean {
  let found = false;
  walk(root, (node) => {
    if (found) return false;
    if (!TEXT_NODES.has(node.type)) return true;
    const text = node.type === 'heredoc_body' ? node.text : (literalWord(node) ?? node.text);
    if (test(text)) found = true;
    return node.type === 'concatenation' ? false : !found;
  });
  return found;
}

/** Per configuration pattern, per tree (trees are immutable and shared across versions): does the tree match? */
const configuredIn = new Map<RegExp, WeakMap<ShNode, boolean>>();

/**
 * The `apt-get install` / `apt install` commands of the RUNs among `instructions` that lack an
 * option (`hasOption` says whether one has it), unless an earlier RUN of the image (the stage and
 * those it is built FROM) writes the option into apt's configuration (`config`, matched in the
 * scripts' text).
 */
export function aptInstallsWithout(
  model: DockerfileModel,
  instructions: readonly Instruction[],
  hasOption: (install: AptCommand) => boolean,
  config: RegExp,
): { script: ShellScript; install: AptCommand }[] {
  let byTree = configuredIn.get(config);
  if (!byTree) configuredIn.set(config, (byTree = new WeakMap()));
  const cache = byTree;
  const configured = (script: ShellScript): boolean => {
    let result = cache.get(script.root);
    if (result === undefined) {
      result = someText(script.root, (text) => config.test(text));
      cache.set(script.root, result);
    }
    return result;
  };
  let firstLines = firstConfigured.get(config);
  if (!firstLines) firstConfigured.set(config, (firstLines = new WeakMap()));
  const out: { script: ShellScript; install: AptCommand }[] = [];
  for (const outer of instructions) {
    if (effectiveInstruction(outer).getKeyword() !== 'RUN') continue;
    let isConfigured: boolean | undefined;
    for (const script of model.shellScripts(outer)) {
      for (const install of aptGetInstalls(script.root, ['apt-get', 'apt'])) {
        if (hasOption(install)) continue;
        isConfigured ??= ranUpTo(model, outer, configured, firstLines);
        if (!isConfigured) out.push({ script, install });
      }
    }
  }
  return out;
}

/** Per configuration pattern, per stage (of one model): the first line of a RUN of it that configures. */
const firstConfigured = new Map<RegExp, WeakMap<Stage, number>>();

/**
 * Whether a shell script that ran before `instruction` in its image matches: its own scripts, an
 * earlier RUN of its stage, any RUN of the stages it is built `FROM` (an ONBUILD trigger runs after
 * the whole stage). Each stage's first matching RUN is found once per `firstLines` (pass the same
 * map for the same `matches` to share them): listing every earlier RUN for each question was
 * quadratic in the RUNs of a stage.
 */
export function ranUpTo(
  model: DockerfileModel,
  instruction: Instruction,
  matches: (script: ShellScript) => boolean,
  firstLines: WeakMap<Stage, number> = new WeakMap(),
): boolean {
  if (model.shellScripts(instruction).some(matches)) return true;
  const stage = model.stageOf(instruction);
  if (!stage) return false;
  const firstLine = (s: Stage): number => {
    let line = firstLines.get(s);
    if (line === undefined) {
      line = Infinity;
      for (const other of s.instructions)
        if (other.getKeyword() === 'RUN' && model.shellScripts(other).some(matches)) {
          line = other.getRange().start.line;
          break;
        }
      firstLines.set(s, line);
    }
    return line;
  };
  const chain = imageChain(model, stage);
  for (let i = 0; i < chain.length - 1; i++) if (firstLine(chain[i]!) !== Infinity) return true;
  // An ONBUILD trigger runs after the whole stage; anything else after the RUNs above it.
  return instruction.getKeyword() === 'ONBUILD'
    ? firstLine(stage) !== Infinity
    : firstLine(stage) < instruction.getRange().start.line;
}

/** `stage` and the stages it is built `FROM`, the first base first (at most 32). */
export function imageChain(model: DockerfileModel, stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = stage; s && chain.length < 32; s = model.parentStage(s)) chain.unshift(s);
  return chain;
}

/** A path segment standing for "any entry" (the unknown contents of a directory). */
export const ANY_ENTRY = '\u0000';

/**
 * An absolute, normalised path (`.`, `..`, `//` and trailing slashes resolved): relative paths
 * against `cwd`, `~` against `home`. Undefined when that base is unknown.
 */
export function resolvePath(path: string, cwd: string | undefined, home?: string): string | undefined {
  let full: string;
  if (path === '~' || path.startsWith('~/')) {
    if (home === undefined) return undefined;
    full = home + path.slice(1);
  } else if (path.startsWith('/')) full = path;
  else if (path.startsWith('~'))
    return undefined; // ~user
  else if (cwd === undefined) return undefined;
  else full = `${cwd}/${path}`;
  const out: string[] = [];
  for (const segment of full.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return '/' + out.join('/');
}

export function hasGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

/**
 * Whether a path segment `name` matches one segment of a removal pattern (a glob or a literal name;
 * ANY_ENTRY, the unknown contents of a directory, only by `*`): compiled once per pattern segment.
 */
export function segmentMatcher(pattern: string): (name: string) => boolean {
  const any = pattern !== '' && /^\*+$/.test(pattern);
  if (!hasGlob(pattern)) return (name) => name !== ANY_ENTRY && pattern === name;
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let set = pattern.slice(i + 1, close);
        if (set.startsWith('!')) set = '^' + set.slice(1);
        re += `[${set.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  let compiled: RegExp | undefined;
  try {
    compiled = new RegExp(re + '$');
  } catch {
    compiled = undefined;
  }
  const dotted = pattern.startsWith('.');
  return (name) => {
    if (name === ANY_ENTRY) return any;
    if (name.startsWith('.') && !dotted) return false; // globs skip dot files
    return compiled !== undefined && compiled.test(name);
  };
}

/**
 * True when removing `pattern` (absolute and normalised, may hold globs) removes `path` (absolute
 * and normalised; a last segment ANY_ENTRY stands for the unknown contents of a directory): the
 * pattern matches the path itself or one of its parent directories.
 */
export function removes(pattern: string, path: string): boolean {
  const p = pattern.split('/').filter((s) => s !== '');
  const t = path.split('/').filter((s) => s !== '');
  if (p.length === 0 || p.length > t.length) return false;
  return p.every((segment, i) => segmentMatcher(segment)(t[i]!));
}

/** An instruction argument with Docker's variable expansion; undefined when a variable is unknown. */
export function expandArgument(model: DockerfileModel, value: string, line: number): string | undefined {
  if (!value.includes('$')) return value;
  let unknown = false;
  const out = expandVariables(
    value,
    (name) => {
      const resolved = model.resolveVariable(name, line)?.value;
      if (resolved === undefined) unknown = true;
      return resolved;
    },
    model.escape,
  );
  return unknown ? undefined : out;
}

const ARCHIVE = /\.(tar|tar\.(gz|bz2|xz|zst|lz|lzma)|tgz|tbz2?|txz)$/i;

/** A name that is probably a file: it has an extension (`app.jar`, `.env`), and is not `.` or `..`. */
export function looksLikeFile(name: string): boolean {
  return name !== '.' && name !== '..' && name !== '' && name.includes('.') && !hasGlob(name);
}

/** What a COPY or ADD writes, resolved against the WORKDIR. */
export interface CopyFacts {
  readonly instruction: Instruction;
  /** The destination, resolved (undefined when a variable or the WORKDIR is unknown). */
  readonly dest: string | undefined;
  readonly destRange: Range;
  /** The sources as written. */
  readonly sources: readonly string[];
  /**
   * Where the copied things land: the destination itself (a single source to a file path), or
   * `dest/<name>` per source, or `dest/ANY_ENTRY` when the names are not known (a directory's
   * contents, a glob, an unpacked archive).
   */
  readonly landings: readonly string[];
  /** A single source to an explicit file path (`COPY app.jar /app.jar`). */
  readonly fileLike: boolean;
  readonly chown: Flag | undefined;
}

const copyFactsCache = new WeakMap<Instruction, Map<string, CopyFacts | undefined>>();

/** What a COPY/ADD writes (cached per instruction and working directory: several rules ask). */
export function copyFacts(
  model: DockerfileModel,
  instruction: Instruction,
  cwd: string | undefined,
): CopyFacts | undefined {
  let byCwd = copyFactsCache.get(instruction);
  if (!byCwd) copyFactsCache.set(instruction, (byCwd = new Map()));
  const key = cwd ?? '\u0000';
  if (!byCwd.has(key)) byCwd.set(key, computeCopyFacts(model, instruction, cwd));
  return byCwd.get(key);
}

function computeCopyFacts(
  model: DockerfileModel,
  instruction: Instruction,
  cwd: string | undefined,
): CopyFacts | undefined {
  if (!(instruction instanceof Copy || instruction instanceof Add)) return undefined;
  if (instruction.getArguments().some((a) => a.getValue().startsWith('<<'))) return undefined; // heredoc sources
  const line = instruction.getRange().start.line;
  const words: { value: string; range: Range }[] = isExecForm(instruction)
    ? execWords(model.document, instruction).map((w) => ({ value: w.value, range: w.range }))
    : instruction.getArguments().map((a) => ({ value: a.getValue(), range: a.getRange() }));
  if (words.length < 2) return undefined;
  const last = words[words.length - 1]!;
  const sources = words.slice(0, -1).map((w) => expandArgument(model, w.value, line) ?? w.value);
  const rawDest = expandArgument(model, last.value, line);
  const dest = rawDest === undefined ? undefined : resolvePath(rawDest, cwd);
  const dirDest =
    rawDest === undefined || rawDest.endsWith('/') || rawDest === '.' || rawDest === '..' || sources.length > 1;
  const isAdd = instruction instanceof Add;
  const landings: string[] = [];
  let fileLike = false;
  if (dest !== undefined) {
    for (const source of sources) {
      const remote = /^[a-z]+:\/\//i.test(source) || source.startsWith('git@');
      const unpacked = isAdd && !remote && ARCHIVE.test(source);
      const name = remote ? basename(source.replace(/[?#].*$/, '')) : basename(source);
      // A name without an extension may be a directory, whose contents (not itself) land in dest.
      const unknownNames =
        unpacked || hasGlob(source) || source.endsWith('/') || !looksLikeFile(name) || (!remote && !name.includes('.'));
      if (!dirDest && !unpacked) landings.push(dest);
      else
        landings.push(
          dest === '/' ? `/${unknownNames ? ANY_ENTRY : name}` : `${dest}/${unknownNames ? ANY_ENTRY : name}`,
        );
    }
    fileLike =
      !dirDest &&
      sources.length === 1 &&
      !hasGlob(sources[0]!) &&
      looksLikeFile(basename(sources[0]!)) &&
      !sources[0]!.endsWith('/');
  }
  const chown = instruction.getFlags().find((f) => f.getName() === 'chown');
  return { instruction, dest, destRange: last.range, sources, landings, fileLike, chown };
}

/** The WORKDIR after a WORKDIR instruction (undefined when unknown). */
export function nextWorkdir(
  model: DockerfileModel,
  instruction: Instruction,
  cwd: string | undefined,
): string | undefined {
  const args = instruction.getArguments();
  if (args.length !== 1) return undefined;
  const value = expandArgument(model, args[0]!.getValue(), instruction.getRange().start.line);
  return value === undefined ? undefined : resolvePath(value, cwd);
}

/** The user after a USER instruction: true for root, false for anyone else, undefined when unknown. */
export function userIsRoot(model: DockerfileModel, instruction: Instruction): boolean | undefined {
  const args = instruction.getArguments();
  const value = args[0] ? expandArgument(model, args[0].getValue(), instruction.getRange().start.line) : undefined;
  if (value === undefined) return undefined;
  const user = value.split(':')[0];
  return user === 'root' || user === '0';
}

/**
 * The WORKDIR a stage starts in: `/` for `FROM scratch`, where its parent stage ended for
 * `FROM <stage>`, undefined for an image of unknown configuration.
 */
const initialWorkdirs = new WeakMap<Stage, { value: string | undefined }>();

/**
 * The image name a stage starts FROM, without tag or digest, variables expanded (undefined when one
 * is unknown). Cheaper than dockerfile-ast's getImageName(), which resolves variables by re-reading
 * the file on every call.
 */
export function baseImageName(model: DockerfileModel, stage: Stage): string | undefined {
  const raw = stage.from.getArguments()[0]?.getValue();
  const value = raw === undefined ? undefined : expandArgument(model, raw, stage.from.getRange().start.line);
  if (value === undefined) return undefined;
  const slash = value.lastIndexOf('/');
  const last = value.slice(slash + 1).replace(/[:@].*$/, '');
  return value.slice(0, slash + 1) + last;
}

export function initialWorkdir(model: DockerfileModel, stage: Stage, depth = 0): string | undefined {
  const cached = initialWorkdirs.get(stage);
  if (cached) return cached.value;
  let value: string | undefined;
  const image = baseImageName(model, stage);
  if (image === 'scratch') value = '/';
  else {
    const parent = model.parentStage(stage);
    if (parent && depth <= 32) {
      value = initialWorkdir(model, parent, depth + 1);
      for (const instruction of parent.instructions) {
        if (instruction.getKeyword() === 'WORKDIR') value = nextWorkdir(model, instruction, value);
      }
    }
  }
  initialWorkdirs.set(stage, { value });
  return value;
}

/**
 * The index in `sequence` of the last RUN that runs (or may run, through a wrapper) one of
 * `programs`; -1 when none does. What comes after it cannot be what such a command acts on.
 */
export function lastRunning(
  model: DockerfileModel,
  sequence: readonly Instruction[],
  programs: ReadonlySet<string>,
): number {
  for (let i = sequence.length - 1; i >= 0; i--) {
    const outer = sequence[i]!;
    const keyword = outer.getKeyword();
    if (keyword !== 'RUN' && keyword !== 'ONBUILD') continue;
    for (const script of model.shellScripts(outer)) {
      if (findAll(script.root, 'command').some((c) => mayRun(c, programs))) return i;
    }
  }
  return -1;
}
