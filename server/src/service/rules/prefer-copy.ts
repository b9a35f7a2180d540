import { JSONInstruction, type Instruction } from 'dockerfile-ast';
import { defineRule } from './types';
import { effectiveInstruction, isExecForm } from '../shell';
import type { DockerfileModel } from '../model';
import { expandVariables } from '../variables';

/** Names ADD unpacks (hadolint's list, plus zstd, which BuildKit also unpacks). */
const ARCHIVE_SUFFIXES = [
  '.tar',
  '.z',
  '.bz2',
  '.gz',
  '.lz',
  '.lzma',
  '.tz',
  '.tb2',
  '.tbz',
  '.tbz2',
  '.tgz',
  '.tlz',
  '.tpz',
  '.txz',
  '.xz',
  '.zst',
  '.tzst',
  '.zstd',
];

/** Flags COPY has too; any other ADD flag (`--keep-git-dir`, `--unpack`, ...) means no fix. */
const COPY_FLAGS = new Set(['chown', 'chmod', 'link', 'exclude']);

export function isArchiveName(path: string): boolean {
  const lower = path.toLowerCase();
  return ARCHIVE_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

/** A URL or a Git reference: something ADD fetches rather than copies from the context. */
export function isRemoteSource(path: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(path) ||
    /^[\w.-]+@[\w.-]+:/.test(path) ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//i.test(path) ||
    /\.git(#.*)?$/.test(path)
  );
}

function unquote(word: string): string {
  return word.length >= 2 && (word[0] === '"' || word[0] === "'") && word.endsWith(word[0]!) ? word.slice(1, -1) : word;
}

/** The sources of an ADD as Docker reads them, or undefined when they cannot be known (heredocs, bad JSON). */
function sources(model: DockerfileModel, instruction: Instruction): string[] | undefined {
  let words: string[];
  if (instruction instanceof JSONInstruction && isExecForm(instruction)) {
    try {
      const open = instruction.getOpeningBracket()!.getRange().start;
      const close = instruction.getClosingBracket()!.getRange().end;
      const parsed: unknown = JSON.parse(
        model.document.getText({ start: open, end: close }).replace(new RegExp(`\\${model.escape}\\r?\\n`, 'g'), ''),
      );
      if (!Array.isArray(parsed) || !parsed.every((s): s is string => typeof s === 'string')) return undefined;
      words = parsed;
    } catch {
      return undefined;
    }
  } else {
    words = instruction.getArguments().map((a) => unquote(a.getValue()));
  }
  if (words.length < 2 || words.some((w) => w.startsWith('<<'))) return undefined;
  return words.slice(0, -1);
}

/** `$VAR` resolved where the model knows the value; undefined when any variable is unknown. */
function expand(model: DockerfileModel, word: string, line: number): string | undefined {
  if (!word.includes('$')) return word;
  let known = true;
  const value = expandVariables(
    word,
    (name) => {
      const v = model.resolveVariable(name, line)?.value;
      if (v === undefined) known = false;
      return v;
    },
    model.escape,
  );
  return known ? value : undefined;
}

export default defineRule({
  id: 'prefer-copy',
  severity: 'warning',
  peers: ['DL3020'],
  instructions: ['ADD'],
  scope: 'stage',
  messages: {
    default: {
      en: 'Use COPY to copy local files: ADD also downloads URLs and unpacks archives, so it hides what the instruction does. Keep ADD for URLs and tar archives.',
      'zh-cn':
        '复制本地文件请用 COPY：ADD 还会下载 URL、解压压缩包，让人看不出这条指令到底做什么。ADD 只留给 URL 和 tar 压缩包。',
    },
    mixed: {
      en: 'ADD copies {0} as plain files: only the archives and URLs here need ADD. Copy the plain files with a separate COPY.',
      'zh-cn': 'ADD 把 {0} 当作普通文件复制：这里只有压缩包和 URL 需要 ADD。普通文件请另写一条 COPY。',
    },
  },
  check({ model, instructions, report }) {
    for (const outer of instructions) {
      const instruction = effectiveInstruction(outer);
      if (instruction.getKeyword() !== 'ADD' || !(instruction instanceof JSONInstruction)) continue;
      const flags = instruction.getFlags();
      if (flags.some((f) => f.getName().toLowerCase() === 'checksum')) continue; // checksums are for URLs/Git
      const line = instruction.getRange().start.line;
      const srcs = sources(model, instruction);
      if (!srcs) continue;
      const expanded = srcs.map((s) => expand(model, s, line));
      if (expanded.some((s) => s === undefined)) continue; // a variable that may hold a URL or an archive
      const local = (expanded as string[]).filter((s) => !isRemoteSource(s) && !isArchiveName(s));
      if (local.length === 0) continue;
      const range = instruction.getInstructionRange();
      if (local.length < srcs.length) {
        report({ range, message: 'mixed', args: [local.map((s) => `\`${s}\``).join(', ')] });
        continue;
      }
      const copyable = flags.every((f) => COPY_FLAGS.has(f.getName().toLowerCase()));
      const keyword = model.document.getText(range);
      const glob = local.some((s) => /[*?[]/.test(s));
      report({
        range,
        data: copyable ? { copy: keyword === keyword.toLowerCase() ? 'copy' : 'COPY', glob } : undefined,
      });
    }
  },
  fix({ range, data }) {
    const fix = data as { copy?: string; glob?: boolean } | undefined;
    if (!fix?.copy) return [];
    return [
      {
        title: { en: 'Replace ADD with COPY', 'zh-cn': '把 ADD 换成 COPY' },
        edits: [{ range, newText: fix.copy }],
        // A glob may match an archive, which ADD would unpack and COPY will not.
        preferred: !fix.glob,
      },
    ];
  },
});
