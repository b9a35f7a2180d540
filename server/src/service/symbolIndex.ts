import type { Flag, Instruction } from 'dockerfile-ast';
import { Copy, From, Healthcheck, ModifiableInstruction, Run } from 'dockerfile-ast';
import type { Position, Range } from 'vscode-languageserver-types';
import type { DockerfileModel, VariableDefinition } from './model';
import { isPosixShell } from './model';
import { isExecForm, walk, type ShNode } from './shell';

/**
 * The names a rename changes all at once: a build stage, or a variable. Variables follow Docker's
 * scopes (see `buildIndex`); symbols linked by Docker are merged (union-find).
 */
export class NamedSymbol {
  private parent: NamedSymbol = this;
  constructor(
    readonly kind: 'stage' | 'variable',
    /** Stage names lower-cased (BuildKit compares them so); variable names as written. */
    readonly name: string,
  ) {}

  root(): NamedSymbol {
    let root: NamedSymbol = this.parent;
    while (root.parent !== root) root = root.parent;
    // Path compression: everything on the way now points at the root.
    let node: NamedSymbol = this.parent;
    this.parent = root;
    while (node !== root) {
      const next: NamedSymbol = node.parent;
      node.parent = root;
      node = next;
    }
    return root;
  }

  union(other: NamedSymbol): void {
    const a = this.root();
    const b = other.root();
    if (a !== b) b.parent = a;
  }
}

export interface Occurrence {
  readonly symbol: NamedSymbol;
  readonly kind: 'stage' | 'variable';
  /** The name as written here. */
  readonly text: string;
  readonly range: Range;
  /** `AS name`, `ARG name`, `ENV name=...`. */
  readonly isDefinition: boolean;
  /** A stage written as its index (`COPY --from=0`): found, never renamed. */
  readonly byIndex: boolean;
  /** Where the value or stage comes from (go to definition). */
  readonly targets: readonly Range[];
  /** The scope the occurrence is read in: a stage index, -1 for global ARGs and FROM lines. */
  readonly scope: number;
}

export interface SymbolIndex {
  /** Every occurrence, in document order. */
  readonly occurrences: readonly Occurrence[];
  /** The occurrence under (or just after) the cursor. */
  at(position: Position): Occurrence | undefined;
  /** All occurrences of the symbol (after merging), in document order. */
  occurrencesOf(symbol: NamedSymbol): readonly Occurrence[];
}

const cache = new WeakMap<DockerfileModel, SymbolIndex>();

/** The symbol index of a model, built once per model (one pass over the instructions). */
export function symbolIndex(model: DockerfileModel): SymbolIndex {
  let index = cache.get(model);
  if (!index) {
    index = buildIndex(model);
    cache.set(model, index);
  }
  return index;
}

/** Instructions whose variables BuildKit itself expands (not the shell). */
const BUILDER_EXPANDED = new Set([
  'ADD',
  'ARG',
  'COPY',
  'ENV',
  'EXPOSE',
  'FROM',
  'LABEL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);
/** Instructions whose commands run when the container runs: only ENV is there, ARG is gone. */
const RUNTIME = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK']);

interface Binding {
  readonly def: VariableDefinition;
  readonly range: Range;
  readonly symbol: NamedSymbol;
}

/**
 * Scoping, as BuildKit does it:
 * - ARGs before the first FROM are global: they are read in FROM lines only;
 * - a stage sees its own ARG/ENV from the line after their definition, and the ENV of its parent
 *   stage (`FROM parent`), transitively; CMD/ENTRYPOINT/HEALTHCHECK run in the container, where
 *   only ENV exists;
 * - all definitions of one name in one scope are one variable (renaming one renames all);
 * - a stage's `ARG X` re-declaring a global `ARG X` imports it (the same `--build-arg X`), so the two
 *   are one symbol; go to definition on the stage's uses shows the stage's `ARG X` and, when it has no
 *   default of its own, the global definition that gives the value;
 * - references before any definition (base image variables such as `$PATH`, automatic platform ARGs)
 *   are not bound to anything.
 * Variables in RUN (and shell-form CMD/ENTRYPOINT) are read from the shell's syntax tree, so quoting,
 * `$((X + 1))` and shell-local assignments are understood.
 */
function buildIndex(model: DockerfileModel): SymbolIndex {
  const { document } = model;
  const text = document.getText();
  const occurrences: Occurrence[] = [];

  const stageSymbols = model.stages.map((s) => new NamedSymbol('stage', s.name ?? String(s.index)));
  const stageTarget = model.stages.map((s) => s.nameRange ?? s.from.getImageRange() ?? s.from.getInstructionRange());
  /** The first stage of each name (BuildKit refuses duplicates; the model's findStage takes the first). */
  const stageByName = new Map<string, number>();
  for (const s of model.stages) if (s.name !== undefined && !stageByName.has(s.name)) stageByName.set(s.name, s.index);
  const images = model.stages.map((s) => s.from.getImage());
  const parentOf = model.stages.map((s) => {
    const image = images[s.index];
    if (!image || image.includes('$')) return -1;
    const parent = stageByName.get(image.toLowerCase());
    return parent !== undefined && parent < s.index ? parent : -1;
  });

  const variableSymbols = new Map<string, NamedSymbol>();
  const symbolFor = (scope: number, name: string): NamedSymbol => {
    const key = `${scope}\u0000${name}`;
    let symbol = variableSymbols.get(key);
    if (!symbol) {
      symbol = new NamedSymbol('variable', name);
      variableSymbols.set(key, symbol);
    }
    return symbol;
  };
  /** Latest definition per name, per scope (index + 1; 0 is the global scope). */
  const latest: Map<string, Binding>[] = [new Map()];
  const latestEnv: Map<string, Binding>[] = [new Map()];
  for (let i = 0; i < model.stages.length; i++) {
    latest.push(new Map());
    latestEnv.push(new Map());
  }

  /** ENV a stage passes on to its children: its own, else its parent's (memoised: parents are complete). */
  const passedOn = model.stages.map(() => new Map<string, Binding | null>());
  const inheritedFrom = (stage: number, name: string): Binding | undefined => {
    const chain: number[] = [];
    let found: Binding | null = null;
    for (let s = stage; s >= 0; s = parentOf[s]!) {
      const memo = passedOn[s]!.get(name);
      if (memo !== undefined) {
        found = memo;
        break;
      }
      chain.push(s);
      const own = latestEnv[s + 1]!.get(name);
      if (own) {
        found = own;
        break;
      }
    }
    for (const s of chain) passedOn[s]!.set(name, found);
    return found ?? undefined;
  };

  const lookup = (name: string, scope: number, runtime: boolean): Binding | undefined => {
    if (scope < 0) return runtime ? undefined : latest[0]!.get(name);
    const own = (runtime ? latestEnv : latest)[scope + 1]!.get(name);
    if (own) return own;
    const parent = parentOf[scope]!;
    return parent >= 0 ? inheritedFrom(parent, name) : undefined;
  };

  const globalDefinition = (name: string): Binding | undefined => latest[0]!.get(name);

  const targetsOf = (binding: Binding): Range[] => {
    const targets = [binding.range];
    const { def } = binding;
    if (def.kind === 'ARG' && def.stage >= 0 && def.raw === undefined) {
      const global = globalDefinition(def.name);
      if (global) targets.push(global.range);
    }
    return targets;
  };

  const addReference = (name: string, range: Range, scope: number, runtime: boolean) => {
    const binding = lookup(name, scope, runtime);
    if (!binding) return;
    occurrences.push({
      symbol: binding.symbol,
      kind: 'variable',
      text: name,
      range,
      isDefinition: false,
      byIndex: false,
      targets: targetsOf(binding),
      scope,
    });
  };

  const addStageReference = (value: string | null, range: Range | null, current: number) => {
    if (!value || !range || value.includes('$')) return;
    let target: number | undefined;
    let byIndex = false;
    if (/^\d+$/.test(value)) {
      target = Number(value);
      byIndex = true;
    } else {
      target = stageByName.get(value.toLowerCase());
    }
    if (target === undefined || target >= current || target >= model.stages.length) return;
    occurrences.push({
      symbol: stageSymbols[target]!,
      kind: 'stage',
      text: value,
      range,
      isDefinition: false,
      byIndex,
      targets: [stageTarget[target]!],
      scope: current,
    });
  };

  const definitionsByInstruction = new Map<Instruction, VariableDefinition[]>();
  for (const def of model.definitions()) {
    const list = definitionsByInstruction.get(def.instruction) ?? [];
    list.push(def);
    definitionsByInstruction.set(def.instruction, list);
  }

  for (const instruction of model.instructions) {
    const keyword = instruction.getKeyword();
    const stage = model.stageOf(instruction);
    const stageIndex = stage ? stage.index : -1;

    // Stage names.
    if (instruction instanceof From && stage) {
      if (stage.nameRange && stage.from === instruction) {
        occurrences.push({
          symbol: stageSymbols[stageIndex]!,
          kind: 'stage',
          text: instruction.getBuildStage() ?? '',
          range: stage.nameRange,
          isDefinition: true,
          byIndex: false,
          targets: [stage.nameRange],
          scope: -1,
        });
      }
      const image = images[stageIndex];
      if (image && !/^\d+$/.test(image) && stageByName.has(image.toLowerCase())) {
        addStageReference(image, instruction.getImageRange(), stageIndex);
      }
    } else if (instruction instanceof Copy && stageIndex >= 0) {
      for (const flag of instruction.getFlags()) {
        if (flag.getName().toLowerCase() === 'from')
          addStageReference(flag.getValue(), flag.getValueRange(), stageIndex);
      }
    } else if (instruction instanceof Run && stageIndex >= 0) {
      for (const flag of instruction.getFlags()) {
        if (flag.getName().toLowerCase() !== 'mount') continue;
        for (const option of flag.getOptions()) {
          if (option.getName().toLowerCase() === 'from') {
            addStageReference(option.getValue(), option.getValueRange(), stageIndex);
          }
        }
      }
    }

    // Variable references (read before this instruction's own definitions take effect).
    const scope = keyword === 'FROM' ? -1 : stageIndex;
    const runtime = RUNTIME.has(keyword);
    const refs = variableReferences(model, instruction, text);
    for (const ref of refs) addReference(ref.name, ref.range, scope, runtime);

    // Definitions.
    for (const def of definitionsByInstruction.get(instruction) ?? []) {
      const defScope = def.stage;
      const symbol = symbolFor(defScope, def.name);
      const range = def.property.getNameRange();
      if (def.kind === 'ARG' && defScope >= 0) {
        const global = globalDefinition(def.name);
        if (global) symbol.union(global.symbol);
      }
      const binding: Binding = { def, range, symbol };
      occurrences.push({
        symbol,
        kind: 'variable',
        text: def.name,
        range,
        isDefinition: true,
        byIndex: false,
        targets: targetsOf(binding),
        scope: defScope,
      });
      latest[defScope + 1]!.set(def.name, binding);
      if (def.kind === 'ENV') latestEnv[defScope + 1]!.set(def.name, binding);
    }
  }

  occurrences.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  const byLine = new Map<number, Occurrence[]>();
  const bySymbol = new Map<NamedSymbol, Occurrence[]>();
  for (const occurrence of occurrences) {
    const line = occurrence.range.start.line;
    const onLine = byLine.get(line) ?? [];
    onLine.push(occurrence);
    byLine.set(line, onLine);
    const root = occurrence.symbol.root();
    const same = bySymbol.get(root) ?? [];
    same.push(occurrence);
    bySymbol.set(root, same);
  }

  return {
    occurrences,
    at(position) {
      const onLine = byLine.get(position.line) ?? [];
      let found: Occurrence | undefined;
      for (const o of onLine) {
        if (o.range.end.line !== position.line) continue;
        if (o.range.start.character <= position.character && position.character <= o.range.end.character) {
          // Prefer the occurrence that starts at the cursor over one that ends there (`$A$B`).
          if (!found || o.range.start.character === position.character) found = o;
        }
      }
      return found;
    },
    occurrencesOf: (symbol) => bySymbol.get(symbol.root()) ?? [],
  };
}

interface Reference {
  readonly name: string;
  readonly range: Range;
}

/** The variables an instruction reads, with the ranges of their names. */
function variableReferences(model: DockerfileModel, instruction: Instruction, text: string): Reference[] {
  const keyword = instruction.getKeyword();
  const { document, escape } = model;
  const out: Reference[] = [];
  const scanRange = (start: number, end: number, esc: string) =>
    scanBuilderVariables(text, start, end, esc, (name, offset) =>
      out.push({
        name,
        range: { start: document.positionAt(offset), end: document.positionAt(offset + name.length) },
      }),
    );
  // From the keyword's end: flags included (`COPY --chown=$UID`, `FROM --platform=$BUILDPLATFORM`).
  const afterKeyword = document.offsetAt(instruction.getInstructionRange().end);
  const end = document.offsetAt(instruction.getRange().end);

  if (BUILDER_EXPANDED.has(keyword)) {
    scanRange(afterKeyword, end, escape);
    return out;
  }
  if (keyword === 'RUN' || keyword === 'CMD' || keyword === 'ENTRYPOINT') {
    if (instruction instanceof ModifiableInstruction) {
      for (const flag of instruction.getFlags()) scanFlag(flag, document.offsetAt.bind(document), scanRange, escape);
    }
    if (isExecForm(instruction)) return out;
    if (!isPosixShell(model.shellFor(instruction))) return out;
    const scripts = model.shellScripts(instruction);
    if (scripts.length > 0) {
      for (const script of scripts) {
        for (const node of shellVariableNodes(script.root)) out.push({ name: node.text, range: script.rangeOf(node) });
      }
      return out;
    }
    // No shell parser: read the body as the builder would.
    scanRange(afterKeyword, end, escape);
    return out;
  }
  if (instruction instanceof Healthcheck) {
    const sub = instruction.getSubcommand();
    if (!sub || sub.getValue().toUpperCase() !== 'CMD') return out;
    const bodyStart = document.offsetAt(sub.getRange().end);
    if (/^\s*\[/.test(text.slice(bodyStart, Math.min(end, bodyStart + 200)))) return out;
    scanRange(bodyStart, end, escape);
  }
  return out;
}

function scanFlag(
  flag: Flag,
  offsetAt: (p: Position) => number,
  scanRange: (start: number, end: number, escape: string) => void,
  escape: string,
): void {
  const range = flag.getValueRange();
  if (range) scanRange(offsetAt(range.start), offsetAt(range.end), escape);
}

/**
 * `$NAME` / `${NAME...}` as BuildKit expands them in an instruction's text: not in single quotes,
 * not after the escape character; line continuations and the comment lines inside them skipped.
 * Nested references in modifiers (`${A:-$B}`) are found too.
 */
export function scanBuilderVariables(
  text: string,
  start: number,
  end: number,
  escape: string,
  found: (name: string, offset: number) => void,
): void {
  let single = false;
  let double = false;
  let i = start;
  while (i < end) {
    const ch = text[i]!;
    if (ch === escape) {
      const continuation = /^[ \t]*\r?\n/.exec(text.slice(i + 1, Math.min(end, i + 1 + 256)));
      if (continuation) {
        i = skipDroppedLines(text, i + 1 + continuation[0].length, end);
        continue;
      }
      if (!single) {
        i += 2;
        continue;
      }
    }
    if (ch === '\n') {
      single = false;
      double = false;
    } else if (ch === "'" && !double) single = !single;
    else if (ch === '"' && !single) double = !double;
    else if (ch === '$' && !single) {
      const nameStart = text[i + 1] === '{' ? i + 2 : i + 1;
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(nameStart, Math.min(end, nameStart + 256)));
      if (m) {
        found(m[0], nameStart);
        i = nameStart + m[0].length;
        continue;
      }
    }
    i++;
  }
}

/** After a line continuation: skips the empty and comment lines Docker drops. */
function skipDroppedLines(text: string, from: number, end: number): number {
  let pos = from;
  while (pos < end) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    const line = text.slice(pos, lineEnd).trim();
    if (line !== '' && !line.startsWith('#')) return pos;
    pos = lineEnd + 1;
  }
  return end;
}

const ARITHMETIC = new Set(['arithmetic_expansion', 'arithmetic_expression']);

/**
 * The `variable_name` nodes a shell script reads from its environment: `$X`, `${X...}`, `X` in
 * `$((...))`; names the script assigns itself (`X=1`, `for X in`, `read X`...) are left out.
 */
export function shellVariableNodes(root: ShNode): ShNode[] {
  const assigned = new Set<string>();
  const read: ShNode[] = [];
  walk(root, (node) => {
    if (node.type !== 'variable_name') return;
    const parent = node.parent;
    if (!parent) return;
    if (parent.type === 'variable_assignment' || parent.type === 'for_statement') {
      assigned.add(node.text);
      return;
    }
    if (parent.type === 'simple_expansion' || parent.type === 'expansion') {
      read.push(node);
      return;
    }
    for (let p: ShNode | undefined = parent; p; p = p.parent) {
      if (ARITHMETIC.has(p.type) || p.type === 'arithmetic_expansion') {
        read.push(node);
        return;
      }
    }
  });
  return read.filter((n) => !assigned.has(n.text));
}
