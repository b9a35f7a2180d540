import { type Heredoc, JSONInstruction, Onbuild, Property } from 'dockerfile-ast';
import type { Comment, Instruction, From, Arg, Env, ParserDirective } from 'dockerfile-ast';
import { firstSegmentEndingAfter, parseDocument, type ParsedDocument } from './incrementalParse';
import { baseImageName } from './shellFacts';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { TextSnapshot } from './textSnapshot';
import { countAtMost, countBelow } from './sorted';
import type { Position, Range } from 'vscode-languageserver-types';
import { type ParsedScript, type ShellParser, type ShellScript, execWords, extractShellScripts } from './shell';
import { expandVariables, type VariableLookup } from './variables';

/** A build stage: a FROM line and the instructions up to the next FROM. */
export interface Stage {
  readonly index: number;
  readonly from: From;
  /** `AS name`, lower-cased as BuildKit compares it; undefined when unnamed. */
  readonly name: string | undefined;
  readonly nameRange: Range | undefined;
  /** The stage's instructions, FROM first. */
  readonly instructions: readonly Instruction[];
}

/** Where a variable got its value. */
export interface VariableDefinition {
  readonly name: string;
  readonly kind: 'ARG' | 'ENV';
  readonly instruction: Instruction;
  readonly property: Property;
  /** The value as written (undefined for `ARG name` without a default). */
  readonly raw: string | undefined;
  /** The stage the definition belongs to; -1 for global ARGs (before the first FROM). */
  readonly stage: number;
}

/**
 * A unit of incremental validation: the instructions before the first FROM, or one stage. `key`
 * holds everything a `stage` rule's findings for it may depend on (see RuleScope): equal keys,
 * equal findings, so a new version of the document reuses the findings of unchanged scopes.
 */
export interface Scope {
  readonly key: string;
  /** `key` plus the stages built FROM this one, recursively (for `family` rules). */
  readonly familyKey: string;
  readonly instructions: readonly Instruction[];
  readonly stages: readonly Stage[];
}

export interface ResolvedVariable {
  readonly name: string;
  /** The value with nested variables expanded; undefined when declared without a value. */
  readonly value: string | undefined;
  readonly definition: VariableDefinition;
}

/** Shell scripts per instruction object, across versions of a document (see shellScripts). */
const extractedScripts = new WeakMap<Instruction, readonly ShellScript[]>();

/**
 * The last answer of `DockerfileModel.shellScripts()` for an instruction, kept on it with the serial
 * number of the model that gave it (not the model: an instruction outlives its version, and must not
 * keep an old model alive): every rule asks for the scripts of every RUN it reads, thousands of
 * look-ups per analysis, and a property read is several times cheaper than a map's.
 */
const SCRIPTS = Symbol('scripts');
interface ScriptsMemo {
  readonly model: number;
  readonly scripts: readonly ShellScript[];
}
let modelSerial = 0;

/** The shell of a stage without a SHELL instruction (the same array object, to recognise it). */
const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];
/** Windows images' default shell. */
const WINDOWS_SHELL: readonly string[] = ['cmd', '/S', '/C'];
/** Windows base images: mcr.microsoft.com/windows/servercore, .../nanoserver, microsoft/windowsservercore, ... */
const WINDOWS_IMAGE =
  /(^|\/)(windows|windowsservercore|nanoserver|servercore)([/:@]|$)|[:-](nanoserver|windowsservercore|servercore)\b/i;

/** Shells Docksmith can reason about; anything else (PowerShell, cmd) turns the shell rules off. */
const POSIX_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox']);

export function isPosixShell(shell: readonly string[]): boolean {
  const exe = shell[0];
  if (exe === undefined) return false;
  const base = exe.replace(/\\/g, '/').split('/').pop()!.toLowerCase();
  return POSIX_SHELLS.has(base);
}

/**
 * The parsed document model, built once per document version and shared by every request.
 * Derived facts are computed lazily and cached here.
 */
export class DockerfileModel {
  /** The segments the text was parsed in (the next version re-parses only what an edit changed). */
  readonly parsed: ParsedDocument;
  readonly escape: string;
  /** Parser directives (`# escape=`, `# syntax=`, `# check=`) at the top of the file. */
  readonly directives: readonly ParserDirective[];
  /** Comment lines outside the parser directives, in document order. */
  readonly comments: readonly Comment[];
  /** Top-level instructions in document order (ONBUILD triggers are inside their ONBUILD). */
  readonly instructions: readonly Instruction[];
  readonly stages: readonly Stage[];
  /** ARGs before the first FROM. */
  readonly globalArgs: readonly Arg[];
  private readonly instructionStarts: number[];
  /** Instructions before the first FROM. */
  readonly prologue: readonly Instruction[];
  /** The SHELL instructions of each scope (-1: before the first FROM, else a stage's index): line and words. */
  private readonly shells = new Map<number, { readonly line: number; readonly shell: readonly string[] }[]>();
  private definitionsCache: VariableDefinition[] | undefined;
  /**
   * Per scope (-1: before the first FROM, else a stage's index), built when first asked: its
   * definitions in document order, and per name those definitions with their start lines. An edit
   * in one stage builds only that stage's again (a look-up from a FROM line reads the global ARGs).
   */
  private readonly scopeDefinitions = new Map<
    number,
    { defs: VariableDefinition[]; byName: Map<string, { lines: number[]; defs: VariableDefinition[] }> }
  >();
  private stagesByName: Map<string, Stage[]> | undefined;
  private readonly parentCache = new Map<number, Stage | null>();
  private readonly windowsCache = new Map<number, boolean>();
  private scopesCache: readonly Scope[] | undefined;
  /** The document version this model was built from (TextDocuments update documents in place). */
  readonly version: number;
  /** The text this model was built from. */
  readonly text: string;

  /** An immutable snapshot of the document this model was built from. */
  readonly document: TextSnapshot;
  /**
   * The same object for every version of a document built from the one before (a new one for a
   * document's first model): what a version may reuse from earlier ones is kept in WeakMaps keyed by
   * it, and goes when the document's last model does.
   */
  readonly lineage: object;
  /** Tells this model from every other (ScriptsMemo). */
  private readonly serial = ++modelSerial;

  constructor(
    /** The document as the caller holds it (LSP document stores update it in place). */
    readonly source: TextDocument,
    private readonly shellParser: ShellParser | undefined,
    /** An earlier version of the same document: its unchanged segments are reused. */
    previous?: DockerfileModel,
  ) {
    this.version = source.version;
    this.text = source.getText();
    this.parsed = parseDocument(this.text, previous?.parsed);
    this.document = new TextSnapshot(source.uri, source.languageId, source.version, this.text, this.parsed.lineStarts);
    this.lineage = previous?.lineage ?? {};
    this.escape = this.parsed.escape;
    this.directives = this.parsed.directives;
    this.instructions = this.parsed.segments.flatMap((s) => s.instructions);
    this.comments = this.parsed.segments.flatMap((s) => s.comments);
    this.instructionStarts = this.instructions.map((i) => i.getRange().start.line);
    const stages: Stage[] = [];
    const prologue: Instruction[] = [];
    const globalArgs: Arg[] = [];
    let current: { from: From; instructions: Instruction[] } | undefined;
    const flush = () => {
      if (!current) return;
      const from = current.from;
      const nameRange = from.getBuildStageRange() ?? undefined;
      const name = from.getBuildStage()?.toLowerCase() ?? undefined;
      stages.push({ index: stages.length, from, name, nameRange, instructions: current.instructions });
    };
    for (const instruction of this.instructions) {
      const keyword = instruction.getKeyword();
      if (keyword === 'FROM') {
        flush();
        current = { from: instruction as From, instructions: [instruction] };
      } else if (current) {
        current.instructions.push(instruction);
      } else {
        prologue.push(instruction);
        if (keyword === 'ARG') globalArgs.push(instruction as Arg);
      }
      if (keyword === 'SHELL' && instruction instanceof JSONInstruction) {
        const words = execWords(this.document, instruction).map((s) => s.value);
        if (words.length > 0) {
          const scope = current ? stages.length : -1; // (the current stage is pushed by its flush)
          const list = this.shells.get(scope) ?? [];
          list.push({ line: instruction.getRange().start.line, shell: words });
          this.shells.set(scope, list);
        }
      }
    }
    flush();
    this.stages = stages;
    this.prologue = prologue;
    this.globalArgs = globalArgs;
    // dockerfile-ast resolves `$VAR` in FROM (getImageName, getImageTag, ...) by scanning every
    // instruction of its parse on each call, which makes whole-file passes quadratic, and a
    // segment's parse may not hold the global ARGs. Answer those look-ups from this model's index
    // instead (same semantics: undefined when not declared, null when declared without a value).
    const resolve = (variable: string, line: number): string | null | undefined => {
      const resolved = this.resolveVariable(variable, line);
      if (!resolved) return undefined;
      return resolved.value ?? null;
    };
    for (const segment of this.parsed.segments) segment.ast.resolveVariable = resolve;
  }

  get uri(): string {
    return this.document.uri;
  }

  /** The instruction whose range contains `line`, if any (binary search). */
  instructionAtLine(line: number): Instruction | undefined {
    const instruction = this.instructions[countAtMost(this.instructionStarts, line) - 1];
    return instruction && instruction.getRange().end.line >= line ? instruction : undefined;
  }

  /** The first instruction that starts after `line`. */
  nextInstructionAfter(line: number): Instruction | undefined {
    return this.instructions[countAtMost(this.instructionStarts, line)];
  }

  instructionAt(position: Position): Instruction | undefined {
    return this.instructionAtLine(position.line);
  }

  /** The stage an instruction belongs to (undefined before the first FROM, or for an ONBUILD's trigger). */
  stageOf(instruction: Instruction): Stage | undefined {
    const line = instruction.getRange().start.line;
    return this.isTopLevel(instruction, line) ? this.stageAtLine(line) : undefined;
  }

  /** Whether `instruction`, starting at `line`, is one of this model's top-level instructions. */
  private isTopLevel(instruction: Instruction, line: number): boolean {
    return this.instructionAtLine(line) === instruction;
  }

  stageAtLine(line: number): Stage | undefined {
    let lo = 0;
    let hi = this.stages.length - 1;
    let result: Stage | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const stage = this.stages[mid]!;
      if (stage.from.getRange().start.line <= line) {
        result = stage;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return result;
  }

  /** The stage named `name` (case-insensitive) defined before `line`. */
  findStage(name: string, beforeLine = Number.POSITIVE_INFINITY): Stage | undefined {
    if (!this.stagesByName) {
      this.stagesByName = new Map();
      for (const stage of this.stages) {
        if (stage.name === undefined) continue;
        const list = this.stagesByName.get(stage.name) ?? [];
        list.push(stage);
        this.stagesByName.set(stage.name, list);
      }
    }
    const first = this.stagesByName.get(name.toLowerCase())?.[0];
    return first && first.from.getRange().start.line < beforeLine ? first : undefined;
  }

  /**
   * The earlier stage a stage is built FROM (`FROM build`, `FROM $BASE` with `ARG BASE=build`), if
   * any; cached. An image with a registry or path (`reg.io/build`) is never a stage.
   */
  parentStage(stage: Stage): Stage | undefined {
    let parent = this.parentCache.get(stage.index);
    if (parent === undefined) {
      // The same name resolution the rules follow (scope keys list the ancestors they may read).
      const name = baseImageName(this, stage);
      parent = (name ? this.findStage(name, stage.from.getRange().start.line) : undefined) ?? null;
      this.parentCache.set(stage.index, parent);
    }
    return parent ?? undefined;
  }

  /** The scopes of incremental validation, in document order (the prologue only when it has instructions). */
  scopes(): readonly Scope[] {
    if (this.scopesCache) return this.scopesCache;
    // A segment's id stands for its text at its lines, so keys stay small: a stage is the segments
    // from its FROM line to the next FROM line (the first may also hold what comes before the FROM).
    const segments = this.parsed.segments;
    const idsBetween = (from: number, to: number): string => {
      // The first segment that ends after `from`, then on while they start before `to`.
      const ids: number[] = [];
      for (let i = firstSegmentEndingAfter(segments, from); i < segments.length && segments[i]!.startLine < to; i++)
        ids.push(segments[i]!.id);
      return ids.join(',');
    };
    const starts = this.stages.map((stage) => stage.from.getRange().start.line);
    const lineCount = this.document.lineCount;
    const prologueId = idsBetween(0, Math.max(1, starts[0] ?? lineCount));
    const stageIds = this.stages.map((_, i) => idsBetween(starts[i]!, starts[i + 1] ?? lineCount));
    const scopes: Scope[] = [];
    const prologue = this.prologue;
    if (prologue.length > 0 || this.stages.length === 0) {
      scopes.push({ key: `P${prologueId}`, familyKey: `P${prologueId}`, instructions: prologue, stages: [] });
    }
    const children = this.stages.map((): Stage[] => []);
    for (const stage of this.stages) {
      const parent = this.parentStage(stage);
      if (parent) children[parent.index]!.push(stage);
    }
    const descendants = (stage: Stage): string[] => {
      const ids: string[] = [];
      const todo = [...children[stage.index]!];
      for (let next = todo.shift(); next; next = todo.shift()) {
        ids.push(stageIds[next.index]!);
        todo.push(...children[next.index]!);
      }
      return ids;
    };
    for (const stage of this.stages) {
      const ancestors: string[] = [];
      for (let parent = this.parentStage(stage); parent && ancestors.length < 16; parent = this.parentStage(parent)) {
        ancestors.push(stageIds[parent.index]!);
      }
      const key = `S${stage.index}:${stageIds[stage.index]}:${prologueId}:${ancestors.join(';')}`;
      const familyKey = `${key}|${descendants(stage).join(';')}`;
      scopes.push({ key, familyKey, instructions: stage.instructions, stages: [stage] });
    }
    this.scopesCache = scopes;
    return scopes;
  }

  /** The SHELL in effect for an instruction (default `/bin/sh -c`). */
  shellFor(instruction: Instruction): readonly string[] {
    const line = instruction.getRange().start.line;
    if (!this.isTopLevel(instruction, line)) return DEFAULT_SHELL; // an ONBUILD's trigger
    const stage = this.stageAtLine(line);
    // A SHELL holds for the rest of its scope (up to the next FROM).
    const shells = this.shells.get(stage?.index ?? -1) ?? [];
    for (let i = shells.length - 1; i >= 0; i--) if (shells[i]!.line <= line) return shells[i]!.shell;
    // Without a SHELL, Windows images run `cmd /S /C`, not `/bin/sh -c`.
    return stage && this.isWindowsStage(stage, 0) ? WINDOWS_SHELL : DEFAULT_SHELL;
  }

  /** The stage builds on a Windows base image (directly, or through the stages it is built FROM); cached. */
  private isWindowsStage(stage: Stage, depth: number): boolean {
    let windows = this.windowsCache.get(stage.index);
    if (windows === undefined) {
      windows = this.computeWindowsStage(stage, depth);
      this.windowsCache.set(stage.index, windows);
    }
    return windows;
  }

  private computeWindowsStage(stage: Stage, depth: number): boolean {
    const raw = stage.from.getImage(); // name, tag and digest: `...:8.0-nanoserver-ltsc2022`
    if (raw === null || depth > 16) return false;
    const parent = this.parentStage(stage);
    if (parent) return this.isWindowsStage(parent, depth + 1);
    const line = stage.from.getRange().start.line;
    const image = raw.includes('$')
      ? expandVariables(raw, (name) => this.resolveVariable(name, line)?.value, this.escape)
      : raw;
    return WINDOWS_IMAGE.test(image);
  }

  /**
   * The shell scripts of a RUN/CMD/ENTRYPOINT (or the trigger of an ONBUILD) in shell form,
   * as Docker passes them to the shell: continuations joined, comment lines dropped; heredoc
   * bodies are scripts too. Empty for exec form, non-POSIX shells, or without a shell parser.
   */
  shellScripts(instruction: Instruction): readonly ShellScript[] {
    const held = instruction as { [SCRIPTS]?: ScriptsMemo };
    const memo = held[SCRIPTS];
    if (memo?.model === this.serial) return memo.scripts;
    let scripts: readonly ShellScript[] = [];
    if (this.shellParser && isPosixShell(this.shellFor(instruction))) {
      // An instruction object outlives its version when its segment is reused (incrementalParse.ts),
      // and its scripts depend only on its own text and the escape character: keep them with it.
      let extracted = extractedScripts.get(instruction);
      if (extracted === undefined) {
        extracted = extractShellScripts(this.document, instruction, this.escape, this.shellParser);
        extractedScripts.set(instruction, extracted);
      }
      scripts = extracted;
    }
    held[SCRIPTS] = { model: this.serial, scripts };
    return scripts;
  }

  /**
   * Parses shell text (an exec-form `sh -c` string, say) with the model's parser, from a copy of
   * its own (ShellParser.script); undefined without one.
   */
  parseShell(text: string): ParsedScript | undefined {
    return this.shellParser?.script(text);
  }

  /** Every ARG/ENV definition in document order. */
  definitions(): readonly VariableDefinition[] {
    this.definitionsCache ??= [-1, ...this.stages.map((stage) => stage.index)].flatMap((i) => this.definitionsIn(i));
    return this.definitionsCache;
  }

  /** The ARG/ENV definitions of one scope (-1: before the first FROM, else a stage's index), in document order. */
  definitionsIn(stageIndex: number): readonly VariableDefinition[] {
    return this.scopeDefinitionsOf(stageIndex).defs;
  }

  private scopeDefinitionsOf(stageIndex: number) {
    let scope = this.scopeDefinitions.get(stageIndex);
    if (!scope) {
      const defs: VariableDefinition[] = [];
      const instructions = stageIndex < 0 ? this.prologue : (this.stages[stageIndex]?.instructions ?? []);
      for (const instruction of instructions) this.addDefinitions(defs, instruction, stageIndex);
      const byName = new Map<string, { lines: number[]; defs: VariableDefinition[] }>();
      for (const def of defs) {
        let entry = byName.get(def.name);
        if (!entry) byName.set(def.name, (entry = { lines: [], defs: [] }));
        entry.lines.push(def.instruction.getRange().start.line);
        entry.defs.push(def);
      }
      this.scopeDefinitions.set(stageIndex, (scope = { defs, byName }));
    }
    return scope;
  }

  private addDefinitions(defs: VariableDefinition[], instruction: Instruction, stage: number): void {
    const keyword = instruction.getKeyword();
    if (keyword !== 'ARG' && keyword !== 'ENV') return;
    const properties =
      keyword === 'ARG'
        ? argProperties(this.document, this.escape, instruction as Arg)
        : (instruction as Env).getProperties();
    for (const property of properties) {
      if (!property) continue;
      const value = property.getValue();
      defs.push({
        name: property.getName(),
        kind: keyword,
        instruction,
        property,
        raw: value === null ? undefined : value,
        stage,
      });
    }
  }

  /**
   * The value of `name` as Docker sees it at `line`: global ARGs in FROM lines; inside a stage,
   * the stage's own ARG/ENV before the line (an `ARG x` without a value takes the global
   * default), plus ENV inherited from a parent stage (`FROM build`).
   */
  resolveVariable(name: string, line: number): ResolvedVariable | undefined {
    const instruction = this.instructionAtLine(line);
    // (instructionAtLine gives a top-level instruction: its stage is the stage at its line.)
    const stageIndex = instruction ? (this.stageAtLine(instruction.getRange().start.line)?.index ?? -1) : -1;
    const inFrom = instruction?.getKeyword() === 'FROM';
    return this.resolveIn(name, inFrom ? -1 : stageIndex, line, 0);
  }

  private resolveIn(name: string, stageIndex: number, line: number, depth: number): ResolvedVariable | undefined {
    if (depth > 16) return undefined;
    const found = this.lastDefinitionBefore(stageIndex, name, line);
    const lookupAt =
      (atLine: number): VariableLookup =>
      (n) =>
        this.resolveIn(n, stageIndex, atLine, depth + 1)?.value;
    if (found) {
      const defLine = found.instruction.getRange().start.line;
      if (found.raw !== undefined) {
        return { name, value: expandVariables(found.raw, lookupAt(defLine), this.escape), definition: found };
      }
      if (found.kind === 'ARG' && stageIndex >= 0) {
        // `ARG name` inside a stage: the global default, if any.
        const global = this.resolveIn(name, -1, Number.POSITIVE_INFINITY, depth + 1);
        if (global && global.value !== undefined) return { name, value: global.value, definition: found };
      }
      return { name, value: undefined, definition: found };
    }
    if (stageIndex >= 0) {
      // ENV (and only ENV) is inherited from a parent stage.
      const parent = this.parentStage(this.stages[stageIndex]!);
      if (parent) {
        const inherited = this.resolveIn(name, parent.index, Number.POSITIVE_INFINITY, depth + 1);
        if (inherited?.definition.kind === 'ENV') return inherited;
      }
    }
    return undefined;
  }

  /** The last definition of `name` in a stage (-1: global ARGs) on a line before `line` (binary search). */
  private lastDefinitionBefore(stageIndex: number, name: string, line: number): VariableDefinition | undefined {
    const entry = this.scopeDefinitionsOf(stageIndex).byName.get(name);
    if (!entry) return undefined;
    return entry.defs[countBelow(entry.lines, line) - 1];
  }

  /** The ONBUILD trigger instruction, if `instruction` is an ONBUILD. */
  static triggerOf(instruction: Instruction): Instruction | undefined {
    return instruction instanceof Onbuild ? (instruction.getTriggerInstruction() ?? undefined) : undefined;
  }
}

/**
 * The variables an ARG declares: `ARG a`, `ARG a=1`, and BuildKit's `ARG a b=2 c` (dockerfile-ast's
 * getProperty() is null for several names).
 */
function argProperties(document: TextDocument, escape: string, arg: Arg): (Property | null)[] {
  const single = arg.getProperty();
  if (single) return [single];
  return arg.getPropertyArguments().map((a) => new Property(document, escape, a));
}

export type { Heredoc };
