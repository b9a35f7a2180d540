import { Copy, From, type Instruction } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import type { DockerfileModel, Stage } from '../model';
import { parseReference } from '../variables';
import { fromImage } from './image-tag';
import { heredocBodyLines } from './syntax';
import { defineRule } from './types';
import { editDistance } from '../editDistance';
import { AUTOMATIC_ARGS } from '../keywords';

/** Instructions whose arguments Docker expands itself (RUN, CMD, ENTRYPOINT leave `$` to the shell). */
const EXPANDED = new Set(['ADD', 'COPY', 'ENV', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR', 'FROM']);

/** Build args Docker predefines: usable without an ARG instruction. */
const PROXY_ARGS = new Set(
  ['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY'].flatMap((n) => [n, n.toLowerCase()]),
);

/** BuildKit's automatic platform ARGs: set in the global scope only; a stage needs `ARG <name>`. */
const PLATFORM_ARGS: ReadonlySet<string> = new Set(AUTOMATIC_ARGS);

/** BuildKit gives every stage a default PATH when the base image sets none. */
const ALWAYS_SET = new Set(['PATH']);

/** The stages a stage builds on (`FROM build`), nearest first, following expanded image names. */
function ancestors(model: DockerfileModel, stage: Stage): Stage[] {
  const chain: Stage[] = [];
  let current: Stage | undefined = stage;
  while (current && chain.length < 32) {
    const image: string | undefined = fromImage(model, current.from)?.image;
    current = image ? model.findStage(image, current.from.getRange().start.line) : undefined;
    if (current) chain.push(current);
  }
  return chain;
}

/** Where a stage's environment comes from: only a `scratch` chain has a fully known environment. */
function baseOf(model: DockerfileModel, stage: Stage): 'scratch' | 'image' {
  const chain = ancestors(model, stage);
  const root = chain[chain.length - 1] ?? stage;
  return fromImage(model, root.from)?.image === 'scratch' ? 'scratch' : 'image';
}

/** The names each ARG/ENV instruction of a stage defines, once per stage (from the model's definitions). */
const namesCache = new WeakMap<Stage, Map<Instruction, string[]>>();

function namesByInstruction(model: DockerfileModel, stage: Stage): Map<Instruction, string[]> {
  let namesOf = namesCache.get(stage);
  if (!namesOf) {
    namesOf = new Map();
    for (const def of model.definitionsIn(stage.index)) {
      const list = namesOf.get(def.instruction) ?? [];
      list.push(def.name);
      namesOf.set(def.instruction, list);
    }
    namesCache.set(stage, namesOf);
  }
  return namesOf;
}

/** The names declared before the first FROM. */
function globalNames(model: DockerfileModel): Set<string> {
  return new Set(model.definitionsIn(-1).map((def) => def.name));
}

/** The names a stage's own ENV instructions set (what a stage built on it inherits); once per stage. */
const envCache = new WeakMap<Stage, ReadonlySet<string>>();

function envNames(model: DockerfileModel, stage: Stage): ReadonlySet<string> {
  let names = envCache.get(stage);
  if (!names) {
    const set = new Set<string>();
    const namesOf = namesByInstruction(model, stage);
    for (const instruction of stage.instructions) {
      if (instruction.getKeyword() !== 'ENV') continue;
      for (const n of namesOf.get(instruction) ?? []) set.add(n);
    }
    envCache.set(stage, (names = set));
  }
  return names;
}

/**
 * A likely intended name: the same name in another case, or one within `limit` edits (1 for short
 * names), but not one that differs only in digits (`FILE_1` / `FILE_2` are different variables).
 */
export function suggestName(name: string, candidates: readonly string[], limit = 2): string | undefined {
  const lower = name.toLowerCase();
  const sameCase = candidates.find((c) => c !== name && c.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const max = name.length <= 4 ? Math.min(1, limit) : limit;
  const digitless = (s: string) => s.toLowerCase().replace(/\d+/g, '');
  let best: string | undefined;
  const nameDigitless = digitless(name);
  let bestDistance = max + 1;
  for (const candidate of candidates) {
    if (digitless(candidate) === nameDigitless) continue;
    const d = editDistance(lower, candidate.toLowerCase(), max);
    if (d > 0 && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

export default defineRule({
  id: 'undefined-var',
  severity: 'warning',
  peers: ['UndefinedVar', 'UndefinedArgInFrom'],
  instructions: ['FROM', 'COPY', 'ADD', 'ENV', 'LABEL', 'WORKDIR', 'USER', 'VOLUME', 'EXPOSE', 'STOPSIGNAL'],
  scope: 'stage',
  messages: {
    default: {
      en: '`{0}` is not defined here: Docker expands it to an empty string. Define it with `ARG {0}` or `ENV {0}=...` above, or fix the name.',
      'zh-cn':
        '`{0}` 在此处未定义：Docker 会把它展开为空字符串。请在上方用 `ARG {0}` 或 `ENV {0}=...` 定义它，或修正变量名。',
    },
    suggestion: {
      en: '`{0}` is not defined here (did you mean `{1}`?): Docker expands it to an empty string.',
      'zh-cn': '`{0}` 在此处未定义（是否想写 `{1}`？）：Docker 会把它展开为空字符串。',
    },
    global: {
      en: '`{0}` is declared before the first FROM, but a global ARG is only visible in FROM lines: here it expands to an empty string. Add `ARG {0}` (no value: it keeps the global default) inside this stage.',
      'zh-cn':
        '`{0}` 声明在第一个 FROM 之前，而全局 ARG 只在 FROM 行中可见：此处会展开为空字符串。请在本阶段内加上 `ARG {0}`（不写值即沿用全局默认值）。',
    },
    platform: {
      en: '`{0}` is set automatically only in the global scope (FROM lines): inside a stage it is empty until you declare it. Add `ARG {0}` in this stage.',
      'zh-cn': '`{0}` 只在全局作用域（FROM 行）中自动设置：在阶段内，声明之前它是空的。请在本阶段内加上 `ARG {0}`。',
    },
    from: {
      en: '`{0}` is not defined before this FROM: only ARGs declared before the first FROM can be used here, so it expands to an empty string. Add `ARG {0}=...` at the top of the file.',
      'zh-cn':
        '`{0}` 在此 FROM 之前未定义：这里只能使用第一个 FROM 之前声明的 ARG，因此它会展开为空字符串。请在文件开头加上 `ARG {0}=...`。',
    },
  },
  check({ model, instructions, report }) {
    // One pass in document order over the instructions to check: the names defined so far in each
    // stage; the global ARGs and the ENV of the stages a stage builds on are read from the model.
    const globals = globalNames(model);
    const defined = new Map<number, Set<string>>();
    const parents = new Map<number, Stage[]>();
    const parentsOf = (stage: Stage) => {
      let list = parents.get(stage.index);
      if (!list) parents.set(stage.index, (list = ancestors(model, stage)));
      return list;
    };
    const inherited = (stage: Stage, name: string) => parentsOf(stage).some((p) => envNames(model, p).has(name));
    const scopeOf = (stage: Stage) => {
      const names = new Set(defined.get(stage.index));
      for (const p of parentsOf(stage)) for (const n of envNames(model, p)) names.add(n);
      return [...names];
    };
    const bases = new Map<number, 'scratch' | 'image'>();

    for (const instruction of instructions) {
      const keyword = instruction.getKeyword();
      const stage = model.stageOf(instruction);
      if (EXPANDED.has(keyword) && stage) {
        const image = instruction instanceof From ? instruction.getImageRange() : null;
        for (const ref of references(model, instruction)) {
          const { name, range } = ref;
          if (ref.modifier !== undefined) continue; // `${X:-default}`, `${X:+alt}`: unset is intended
          if (PROXY_ARGS.has(name) || ALWAYS_SET.has(name)) continue;
          if (keyword === 'FROM') {
            if (globals.has(name) || PLATFORM_ARGS.has(name)) continue;
            // `FROM $X` with X unset: the syntax rule reports the empty base name.
            if (image && sameRange(image, range)) continue;
            const suggestion = suggestName(name, [...globals]);
            report({
              range,
              ...(suggestion ? { message: 'suggestion', args: [name, suggestion] } : { message: 'from', args: [name] }),
            });
            continue;
          }
          if (defined.get(stage.index)?.has(name) || inherited(stage, name)) continue;
          if (globals.has(name)) {
            report({ range, message: 'global', args: [name] });
            continue;
          }
          if (PLATFORM_ARGS.has(name)) {
            report({ range, message: 'platform', args: [name] });
            continue;
          }
          let base = bases.get(stage.index);
          if (base === undefined) bases.set(stage.index, (base = baseOf(model, stage)));
          // On an image, its own ENV (unknown here) may define the name: report only a likely typo.
          const suggestion = suggestName(name, scopeOf(stage), base === 'scratch' ? 2 : 1);
          if (suggestion) report({ range, message: 'suggestion', args: [name, suggestion] });
          else if (base === 'scratch') report({ range, args: [name] });
        }
      }
      // Definitions take effect after their own instruction (`ENV A=1 B=$A` sees the old A).
      const names = stage && namesByInstruction(model, stage).get(instruction);
      if (!names) continue;
      let set = defined.get(stage.index);
      if (!set) defined.set(stage.index, (set = new Set()));
      for (const n of names) set.add(n);
    }
  },
});

interface Reference {
  readonly name: string;
  readonly modifier: string | undefined;
  readonly range: Range;
}

/**
 * The `$NAME` / `${NAME...}` references Docker expands in an instruction's arguments (flags
 * included): not after the escape character, not in single quotes, not in comment lines of a
 * continuation, not in heredoc bodies.
 */
function references(model: DockerfileModel, instruction: Instruction): Reference[] {
  const document = model.document;
  const start = document.offsetAt(instruction.getInstructionRange().end);
  const end = document.offsetAt(instruction.getRange().end);
  const text = document.getText().slice(start, end);
  if (!text.includes('$')) return [];
  const skip = heredocContentLines(model, instruction);
  const escape = model.escape;
  const refs: Reference[] = [];
  let single = false;
  let double = false;
  let line = instruction.getInstructionRange().end.line;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      lineStart = true;
      continue;
    }
    if (skip.has(line)) continue;
    if (lineStart) {
      if (c === ' ' || c === '\t' || c === '\r') continue;
      lineStart = false;
      if (c === '#' && line > instruction.getInstructionRange().end.line) {
        // A comment line inside a continuation: Docker drops it.
        while (i + 1 < text.length && text[i + 1] !== '\n') i++;
        continue;
      }
    }
    if (c === escape && !single) {
      if (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n')) continue; // continuation
      i++;
      continue;
    }
    if (c === "'" && !double) single = !single;
    else if (c === '"' && !single) double = !double;
    else if (c === '$' && !single) {
      const ref = parseReference(text, i);
      if (!ref) continue;
      refs.push({
        name: ref.name,
        modifier: ref.modifier,
        range: { start: document.positionAt(start + ref.start), end: document.positionAt(start + ref.end) },
      });
      i = ref.end - 1;
    }
  }
  return refs;
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/** Lines of heredoc bodies (`COPY <<EOF`, `ADD <<EOF`): not expanded by this rule. */
function heredocContentLines(model: DockerfileModel, instruction: Instruction): Set<number> {
  const lines = new Set<number>();
  const all = heredocBodyLines(model);
  const range = instruction.getRange();
  for (let l = range.start.line + 1; l <= range.end.line; l++) if (all.has(l)) lines.add(l);
  if (instruction instanceof Copy) {
    for (const heredoc of instruction.getHeredocs()) {
      const content = heredoc.getContentRange();
      if (!content) continue;
      for (let l = content.start.line; l <= content.end.line; l++) lines.add(l);
    }
  }
  return lines;
}
