import type { Instruction } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import { defineRule, type Finding } from './types';
import type { DockerfileModel } from '../model';
import { effectiveInstruction, literalWord, type ShellScript, type ShNode } from '../shell';
import {
  ANY_ENTRY,
  aptCommand,
  mayRun,
  lastRunning,
  basename,
  copyFacts,
  effectiveCommand,
  hasGlob,
  initialWorkdir,
  nextWorkdir,
  removes,
  resolvePath,
  segmentMatcher,
  shortFlags,
  userIsRoot,
  type EffectiveCommand,
} from '../shellFacts';

/** Something an instruction wrote: a path (or `dir/ANY_ENTRY`, its unknown contents) and where. */
interface Written {
  readonly path: string;
  readonly instruction: Instruction;
  readonly range: Range;
  /** What wrote it, for the message (`curl -o`, `COPY`, `apt-get update`). */
  readonly by: string;
  /** A small script or config file copied in to be run or read once: not worth a finding. */
  readonly small?: boolean;
}

/** A directory of the paths written by earlier layers: the writes of the path that ends here, its entries. */
interface Directory {
  readonly writes: { readonly written: Written; readonly order: number }[];
  readonly entries: Map<string, Directory>;
}

const directory = (): Directory => ({ writes: [], entries: new Map() });

/**
 * What the earlier layers of a sequence wrote and no later RUN deleted, as a tree of directories: a
 * RUN's `rm` follows its pattern down the tree, a glob segment through the entries it matches, and
 * takes out the directories it reaches. Checking every path written before against every `rm` was
 * quadratic in the RUNs of a stage (a long stage with a package install and a clean-up in each RUN).
 */
export class EarlierWrites {
  private readonly root = directory();
  private count = 0;

  add(written: Written): void {
    let dir = this.root;
    for (const segment of written.path.split('/')) {
      if (segment === '') continue;
      let next = dir.entries.get(segment);
      if (!next) dir.entries.set(segment, (next = directory()));
      dir = next;
    }
    dir.writes.push({ written, order: this.count++ });
  }

  /**
   * Takes out every write that `pattern` removes (see removes()); returns the last written of them
   * that is not small.
   */
  remove(pattern: string): Written | undefined {
    const segments = pattern.split('/').filter((s) => s !== '');
    if (segments.length === 0) return undefined;
    const matchers = segments.map((s) => (hasGlob(s) ? segmentMatcher(s) : undefined));
    let last: { written: Written; order: number } | undefined;
    const take = (dir: Directory): void => {
      for (const entry of dir.writes) if (!entry.written.small && (!last || entry.order > last.order)) last = entry;
      for (const child of dir.entries.values()) take(child);
    };
    const visit = (dir: Directory, depth: number): void => {
      const segment = segments[depth]!;
      const matcher = matchers[depth];
      const found: string[] = [];
      if (!matcher) {
        if (segment !== ANY_ENTRY && dir.entries.has(segment)) found.push(segment);
      } else for (const name of dir.entries.keys()) if (matcher(name)) found.push(name);
      for (const name of found) {
        const child = dir.entries.get(name)!;
        if (depth + 1 < segments.length) visit(child, depth + 1);
        else {
          dir.entries.delete(name);
          take(child);
        }
      }
    };
    visit(this.root, 0);
    return last?.written;
  }
}

/** Scripts, configuration and answer files: copying one in and deleting it later wastes a few kilobytes. */
const SMALL_FILE =
  /\.(sh|bash|zsh|ps1|env|txt|md|ya?ml|json|toml|ini|cfg|conf|rsp|response|loc|patch|diff|py|pl|rb|lua|properties|repo|list|key|asc|gpg|pem|crt)\*?$/i;

/** Where the shell is while it runs a RUN: its directory and the home of the user. */
interface ShellState {
  cwd: string | undefined;
  readonly home: string | undefined;
}

/** The programs this rule reads: the others are skipped before the full look through wrappers. */
const PROGRAMS: ReadonlySet<string> = new Set([
  'cd',
  'rm',
  'curl',
  'wget',
  'git',
  'tar',
  'unzip',
  'apk',
  'yum',
  'dnf',
  'pip',
  'pip3',
  'npm',
  'apt-get',
  'apt',
  'aptitude',
]);

const RM: ReadonlySet<string> = new Set(['rm']);

const URL = /^[a-z][a-z0-9+.-]*:\/\//i;

function urlName(url: string): string | undefined {
  const path = url.replace(/[?#].*$/, '').replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  const name = basename(path);
  return name === '' || path.endsWith('/') ? undefined : name;
}

/** Parses options the GNU way: `-abc` clusters, `-ovalue`, `--opt=value`, `--opt value`. */
function parseOptions(
  args: readonly (string | undefined)[],
  shortValued: string,
  longValued: ReadonlySet<string>,
): { flags: { name: string; value: string | undefined }[]; operands: (string | undefined)[] } {
  const flags: { name: string; value: string | undefined }[] = [];
  const operands: (string | undefined)[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === undefined || a === '-' || !a.startsWith('-')) {
      operands.push(a);
      continue;
    }
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) flags.push({ name, value: a.slice(eq + 1) });
      else if (longValued.has(name)) flags.push({ name, value: args[++i] });
      else flags.push({ name, value: undefined });
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (shortValued.includes(c)) {
        flags.push({ name: c, value: j + 1 < a.length ? a.slice(j + 1) : args[++i] });
        break;
      }
      flags.push({ name: c, value: undefined });
    }
  }
  return { flags, operands };
}

const CURL_SHORT_VALUED = 'dDeEFHKmoPQrTuUwxXyYzAbcCt';
const CURL_LONG_VALUED = new Set([
  'output',
  'output-dir',
  'header',
  'user',
  'request',
  'data',
  'data-raw',
  'data-binary',
  'data-urlencode',
  'retry',
  'retry-delay',
  'retry-max-time',
  'connect-timeout',
  'max-time',
  'proto',
  'proto-redir',
  'cacert',
  'capath',
  'cert',
  'key',
  'form',
  'url',
  'user-agent',
  'referer',
  'cookie',
  'cookie-jar',
  'resolve',
  'limit-rate',
  'config',
  'write-out',
  'proxy',
  'dump-header',
  'upload-file',
  'continue-at',
  'range',
  'tlsv1.2',
  'ciphers',
  'interface',
  'max-filesize',
]);
const WGET_SHORT_VALUED = 'OoPaieTtwUQlARDIXB';
const WGET_LONG_VALUED = new Set([
  'output-document',
  'output-file',
  'directory-prefix',
  'append-output',
  'input-file',
  'execute',
  'timeout',
  'tries',
  'wait',
  'user-agent',
  'quota',
  'level',
  'accept',
  'reject',
  'domains',
  'header',
  'user',
  'password',
  'post-data',
  'ca-certificate',
  'certificate',
  'private-key',
  'progress',
  'referer',
  'http-user',
  'http-password',
]);
const GIT_CLONE_LONG_VALUED = new Set([
  'branch',
  'depth',
  'config',
  'origin',
  'upload-pack',
  'reference',
  'reference-if-able',
  'separate-git-dir',
  'jobs',
  'template',
  'shallow-since',
  'shallow-exclude',
  'filter',
  'bundle-uri',
  'server-option',
]);

/** Paths a command writes (files and directories it creates), resolved; `ANY_ENTRY` for unknown names. */
function writes(command: EffectiveCommand, state: ShellState): { path: string; by: string }[] {
  const args = command.args.map((a) => literalWord(a));
  const at = (p: string | undefined, base = state.cwd) =>
    p === undefined ? undefined : resolvePath(p, base, state.home);
  const out: { path: string | undefined; by: string }[] = [];
  switch (command.base) {
    case 'curl': {
      const { flags, operands } = parseOptions(args, CURL_SHORT_VALUED, CURL_LONG_VALUED);
      const dir = flags.find((f) => f.name === 'output-dir')?.value;
      for (const f of flags) {
        if ((f.name === 'o' || f.name === 'output') && f.value !== '-' && !f.value?.startsWith('/dev/'))
          out.push({ path: at(f.value, at(dir) ?? state.cwd), by: 'curl -o' });
      }
      if (flags.some((f) => f.name === 'O' || f.name === 'remote-name' || f.name === 'remote-name-all')) {
        for (const url of operands)
          if (url && URL.test(url)) out.push({ path: at(urlName(url), at(dir) ?? state.cwd), by: 'curl -O' });
      }
      break;
    }
    case 'wget': {
      const { flags, operands } = parseOptions(args, WGET_SHORT_VALUED, WGET_LONG_VALUED);
      if (flags.some((f) => ['r', 'recursive', 'm', 'mirror', 'i', 'input-file'].includes(f.name))) break;
      const document = flags.find((f) => f.name === 'O' || f.name === 'output-document');
      if (document) {
        if (document.value !== '-' && !document.value?.startsWith('/dev/'))
          out.push({ path: at(document.value), by: 'wget -O' });
        break;
      }
      const prefix = flags.find((f) => f.name === 'P' || f.name === 'directory-prefix')?.value;
      for (const url of operands)
        if (url && URL.test(url)) out.push({ path: at(urlName(url), at(prefix) ?? state.cwd), by: 'wget' });
      break;
    }
    case 'git': {
      let i = 0;
      let base = state.cwd;
      while (i < args.length && args[i]?.startsWith('-')) {
        if (args[i] === '-C') base = at(args[++i]);
        else if (args[i] === '-c') i++;
        i++;
      }
      if (args[i] !== 'clone') break;
      const { operands } = parseOptions(args.slice(i + 1), 'bcouj', GIT_CLONE_LONG_VALUED);
      const [url, dir] = operands;
      const name = dir ?? (url ? basename(url.replace(/[?#].*$/, '')).replace(/\.git$/, '') : undefined);
      out.push({ path: at(name || undefined, base), by: 'git clone' });
      break;
    }
    case 'tar': {
      const first = args[0];
      const oldStyle = first !== undefined && /^[a-zA-Z]+$/.test(first);
      const extract =
        (oldStyle && first.includes('x')) ||
        args.some((a) => a === '--extract' || a === '--get' || shortFlags(a).includes('x'));
      if (!extract) break;
      const { flags } = parseOptions(oldStyle ? args.slice(1) : args, 'CfbIKLNTVgX', new Set(['directory', 'file']));
      const dir = flags.find((f) => f.name === 'C' || f.name === 'directory')?.value;
      const target = dir === undefined ? state.cwd : at(dir);
      if (target !== undefined && target !== '/') out.push({ path: `${target}/${ANY_ENTRY}`, by: 'tar -x' });
      break;
    }
    case 'unzip': {
      const { flags } = parseOptions(args, 'dxP', new Set());
      const dir = flags.find((f) => f.name === 'd')?.value;
      const target = dir === undefined ? state.cwd : at(dir);
      if (target !== undefined && target !== '/') out.push({ path: `${target}/${ANY_ENTRY}`, by: 'unzip' });
      break;
    }
    case 'apk': {
      if (args.includes('--no-cache')) break;
      if (args.includes('update') || args.includes('add') || args.includes('upgrade'))
        out.push({ path: `/var/cache/apk/${ANY_ENTRY}`, by: 'apk' });
      break;
    }
    case 'yum':
    case 'dnf': {
      if (
        args.some(
          (a) => a === 'install' || a === 'update' || a === 'upgrade' || a === 'makecache' || a === 'groupinstall',
        )
      )
        out.push({ path: `/var/cache/${command.base}/${ANY_ENTRY}`, by: command.base });
      break;
    }
    case 'pip':
    case 'pip3': {
      if (!args.includes('install') || args.some((a) => a === '--no-cache-dir' || a?.startsWith('--cache-dir'))) break;
      if (state.home !== undefined) out.push({ path: `${state.home}/.cache/pip/${ANY_ENTRY}`, by: 'pip install' });
      break;
    }
    case 'npm': {
      if (!args.some((a) => a === 'install' || a === 'i' || a === 'ci') || args.some((a) => a?.startsWith('--cache')))
        break;
      if (state.home !== undefined) out.push({ path: `${state.home}/.npm/${ANY_ENTRY}`, by: 'npm install' });
      break;
    }
    default:
      break;
  }
  return out.filter((w): w is { path: string; by: string } => w.path !== undefined && w.path !== '/');
}

/** The paths an `rm` removes, resolved; undefined entries for what cannot be known. */
function removals(command: EffectiveCommand, state: ShellState): string[] {
  if (command.base !== 'rm') return [];
  const { operands } = parseOptions(
    command.args.map((a) => literalWord(a)),
    '',
    new Set(),
  );
  const out: string[] = [];
  for (const operand of operands) {
    const path = operand === undefined ? undefined : resolvePath(operand, state.cwd, state.home);
    if (path !== undefined && path !== '/') out.push(path);
  }
  return out;
}

interface Deletion {
  readonly range: Range;
  readonly text: string;
  readonly matched: Written;
}

/** What one RUN does to the file system, in order: a write, or an `rm` of some paths. */
type RunEvent =
  | { readonly kind: 'write'; readonly written: Written }
  | { readonly kind: 'remove'; readonly paths: readonly string[]; readonly range: Range; readonly text: string };

/**
 * A RUN's events, per scripts array (kept across document versions with their instruction, see
 * model.shellScripts) and starting directory and home: an edit elsewhere in the stage walks only
 * the RUN it changed, the others replay their events against the new earlier layers.
 */
const eventsCache = new WeakMap<readonly ShellScript[], Map<string, readonly RunEvent[]>>();

/** Walks one RUN's scripts in order, tracking `cd` (the state is the shell's when the RUN starts). */
function runEvents(instruction: Instruction, scripts: readonly ShellScript[], start: ShellState): readonly RunEvent[] {
  const key = `${start.cwd ?? '\0'}\n${start.home ?? '\0'}`;
  let byState = eventsCache.get(scripts);
  const cached = byState?.get(key);
  if (cached) return cached;
  const events: RunEvent[] = [];
  const visit = (node: ShNode, script: ShellScript, st: ShellState): void => {
    if (node.type === 'subshell' || node.type === 'command_substitution' || node.type === 'process_substitution') {
      const inner = { ...st };
      for (const child of node.children) visit(child, script, inner);
      return;
    }
    if (node.type === 'redirected_statement') {
      for (const child of node.children) visit(child, script, st);
      for (const redirect of node.children.filter((c) => c.type === 'file_redirect')) {
        const op = redirect.children.find((c) => !c.named)?.type;
        const dest = redirect.children.find((c) => c.field === 'destination');
        const value = dest ? literalWord(dest) : undefined;
        if (
          (op === '>' || op === '>>' || op === '&>' || op === '>|') &&
          value !== undefined &&
          !value.startsWith('/dev/')
        ) {
          const path = resolvePath(value, st.cwd, st.home);
          if (path !== undefined)
            events.push({ kind: 'write', written: { path, instruction, range: script.rangeOf(redirect), by: op } });
        }
      }
      return;
    }
    if (node.type !== 'command') {
      for (const child of node.children) visit(child, script, st);
      return;
    }
    for (const child of node.children) if (child.type === 'command_substitution') visit(child, script, { ...st });
    if (!mayRun(node, PROGRAMS)) return;
    const command = effectiveCommand(node);
    if (!command) return;
    if (command.base === 'cd') {
      const target = command.args.length ? literalWord(command.args[0]!) : '~';
      st.cwd = target === undefined || target === '-' ? undefined : resolvePath(target, st.cwd, st.home);
      return;
    }
    const range = script.rangeOf(node);
    const paths = removals(command, st);
    if (paths.length > 0) events.push({ kind: 'remove', paths, range, text: node.text });
    for (const w of writes(command, st)) events.push({ kind: 'write', written: { ...w, instruction, range } });
    // `apt-get update` fills /var/lib/apt/lists.
    if (aptCommand(command)?.verbText === 'update')
      events.push({
        kind: 'write',
        written: { path: `/var/lib/apt/lists/${ANY_ENTRY}`, instruction, range, by: 'apt-get update' },
      });
  };
  const state = { ...start };
  for (const script of scripts) visit(script.root, script, state);
  if (!byState) eventsCache.set(scripts, (byState = new Map()));
  byState.set(key, events);
  return events;
}

/** Replays one RUN's events: what it writes (kept) and what earlier layers it deletes (taken out of `earlier`). */
function walkRun(
  instruction: Instruction,
  scripts: readonly ShellScript[],
  state: ShellState,
  earlier: EarlierWrites,
): { written: Written[]; deletions: Deletion[] } {
  const pending: Written[] = [];
  const deletions: Deletion[] = [];
  for (const event of runEvents(instruction, scripts, state)) {
    if (event.kind === 'write') {
      pending.push(event.written);
      continue;
    }
    let matched: Written | undefined;
    for (const path of event.paths) {
      // What this same RUN wrote and deletes again never reaches a layer.
      for (let i = pending.length - 1; i >= 0; i--) if (removes(path, pending[i]!.path)) pending.splice(i, 1);
      const last = earlier.remove(path);
      matched ??= last;
    }
    if (matched) deletions.push({ range: event.range, text: event.text, matched });
  }
  return { written: pending, deletions };
}

function checkSequence(
  model: DockerfileModel,
  sequence: readonly Instruction[],
  start: string | undefined,
  report: (f: Finding) => void,
): void {
  // Up to the last RUN that deletes: no later write can be deleted (none: nothing to report).
  const last = lastRunning(model, sequence, RM);
  let cwd = start;
  let root: boolean | undefined = true;
  const earlier = new EarlierWrites();
  for (let k = 0; k <= last; k++) {
    const outer = sequence[k]!;
    const instruction = effectiveInstruction(outer);
    const keyword = instruction.getKeyword();
    if (keyword === 'WORKDIR') cwd = nextWorkdir(model, instruction, cwd);
    else if (keyword === 'USER') root = userIsRoot(model, instruction);
    else if (keyword === 'COPY' || keyword === 'ADD') {
      const facts = copyFacts(model, instruction, cwd);
      if (!facts) continue;
      facts.landings.forEach((path, i) => {
        if (path === '/' || path === `/${ANY_ENTRY}`) return;
        const small = SMALL_FILE.test(facts.sources[i] ?? '');
        earlier.add({ path, instruction, range: facts.destRange, by: keyword, small });
      });
    } else if (keyword === 'RUN') {
      const state: ShellState = { cwd, home: root ? '/root' : undefined };
      const { written, deletions } = walkRun(instruction, model.shellScripts(outer), state, earlier);
      for (const d of deletions) {
        const line = d.matched.instruction.getRange().start.line + 1;
        const kind = d.matched.by === 'COPY' || d.matched.by === 'ADD' ? 'copied' : 'default';
        report({
          range: d.range,
          message: kind,
          args: [d.text.length > 50 ? d.text.slice(0, 47) + '...' : d.text, line, d.matched.by],
          related: [
            {
              range: d.matched.range,
              message: {
                en: 'Written here, in an earlier layer ({0}): deleting it later does not make the image smaller.',
                'zh-cn': '在更早的层中写入（{0}）：之后再删除并不能让镜像变小。',
              },
              args: [d.matched.by],
            },
          ],
        });
      }
      for (const w of written) earlier.add(w);
    }
  }
}

export default defineRule({
  id: 'cleanup-in-later-layer',
  severity: 'warning',
  peers: [],
  instructions: ['RUN', 'COPY', 'ADD'],
  scope: 'stage',
  messages: {
    default: {
      en: '`{0}` deletes files that an earlier RUN (line {1}, `{2}`) wrote. Each instruction is a layer, and the image keeps that earlier layer in full (our notes: layered storage): this only hides the files, the image does not shrink. Delete them in the RUN that creates them (merge the two RUNs with `&&`).',
      'zh-cn':
        '`{0}` 删除的是更早的 RUN（第 {1} 行，`{2}`）写入的文件。每条指令都是一层，镜像会完整保留那一层（笔记：分层存储）：这样只是把文件隐藏起来，镜像并不会变小。请在创建它们的同一条 RUN 中删除（用 `&&` 合并这两条 RUN）。',
    },
    copied: {
      en: '`{0}` deletes files that {2} (line {1}) put in an earlier layer. Each instruction is a layer, and the image keeps that layer in full (our notes: layered storage): deleting them later does not shrink the image. Use a bind mount (`RUN --mount=type=bind,source=...`) or a build stage instead of copying them in.',
      'zh-cn':
        '`{0}` 删除的是 {2}（第 {1} 行）放进更早一层的文件。每条指令都是一层，镜像会完整保留那一层（笔记：分层存储）：之后再删除并不能让镜像变小。请改用绑定挂载（`RUN --mount=type=bind,source=...`）或构建阶段，而不是把它们复制进来。',
    },
  },
  check({ model, stages, report }) {
    for (const stage of stages) {
      const start = initialWorkdir(model, stage);
      const own = stage.instructions.filter((i) => effectiveInstruction(i) === i);
      // ONBUILD triggers run, in order, in the image built on this one.
      const triggers = stage.instructions.filter((i) => effectiveInstruction(i) !== i);
      checkSequence(model, own, start, report);
      if (triggers.length > 1) checkSequence(model, triggers, undefined, report);
    }
  },
});
