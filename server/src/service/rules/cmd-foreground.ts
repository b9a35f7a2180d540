import { Copy, Add, JSONInstruction, type Instruction } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import { defineRule } from './types';
import type { DockerfileModel } from '../model';
import {
  ShellScript,
  effectiveInstruction,
  execWords,
  isExecForm,
  literalWord,
  type ExecWord,
  type ShNode,
} from '../shell';
import {
  aptGetInstalls,
  imageChain,
  basename,
  ranUpTo,
  shortFlags,
  someText,
  wordNodes,
  wrapperSkip,
} from '../shellFacts';

/** A word of the command that runs: its literal value (undefined when it has an expansion) and where it is. */
interface Word {
  readonly value: string | undefined;
  readonly range: Range;
}

/** What the Dockerfile says about a daemon's configuration and installation. */
interface Context {
  readonly model: DockerfileModel;
  readonly instruction: Instruction;
  /** Lazily computed facts. */
  readonly facts: Map<string, boolean>;
}

/** A command that returns at once because the program goes to the background. */
interface Daemon {
  readonly message: 'service' | 'daemon';
  /** How to run it in the foreground (an exec-form array), for the message. */
  readonly hint?: string;
  /** The foreground exec form, when it is certain. */
  readonly fix?: readonly string[];
  /** False when the foreground command may need what the init script did (a run directory, a user). */
  readonly preferred?: boolean;
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh']);
const STARTS = new Set(['start', 'restart']);

/** Every COPY/ADD source and destination of the image, as written. */
function copyArguments(ctx: Context): string[] {
  const out: string[] = [];
  const own = ctx.model.stageOf(ctx.instruction);
  for (const stage of own ? imageChain(ctx.model, own) : []) {
    for (const outer of stage.instructions) {
      const instruction = effectiveInstruction(outer);
      if (!(instruction instanceof Copy || instruction instanceof Add)) continue;
      if (isExecForm(instruction)) out.push(...execWords(ctx.model.document, instruction).map((w) => w.value));
      else out.push(...instruction.getArguments().map((a) => a.getValue()));
    }
  }
  return out;
}

function fact(ctx: Context, key: string, compute: () => boolean): boolean {
  let value = ctx.facts.get(key);
  if (value === undefined) {
    value = compute();
    ctx.facts.set(key, value);
  }
  return value;
}

/** Some RUN of the image mentions `pattern` (in a word or heredoc), e.g. writes `daemon off;` to a config. */
function runMentions(ctx: Context, key: string, pattern: RegExp): boolean {
  return fact(ctx, `run:${key}`, () =>
    ranUpTo(ctx.model, ctx.instruction, (s) => someText(s.root, (t) => pattern.test(t))),
  );
}

/** Some COPY/ADD of the image has a source or destination matching `pattern`. */
function copies(ctx: Context, key: string, pattern: RegExp): boolean {
  return fact(ctx, `copy:${key}`, () => copyArguments(ctx).some((a) => pattern.test(a)));
}

/** The image installs a package whose name matches `pattern` with apt-get/apt/apk/yum/dnf/pip. */
function installs(ctx: Context, key: string, pattern: RegExp): boolean {
  return fact(ctx, `install:${key}`, () =>
    ranUpTo(ctx.model, ctx.instruction, (script) => {
      const packages: string[] = [];
      for (const install of aptGetInstalls(script.root)) {
        for (const arg of install.command.args) packages.push(literalWord(arg) ?? '');
      }
      for (const command of findCommands(script.root)) {
        const words = wordNodes(command).map((n) => literalWord(n) ?? '');
        const tool = basename(words[0] ?? '');
        if (
          ((tool === 'apk' || tool === 'pip' || tool === 'pip3') && words.includes('add')) ||
          ((tool === 'yum' || tool === 'dnf' || tool === 'microdnf' || tool === 'pip' || tool === 'pip3') &&
            words.includes('install'))
        )
          packages.push(...words.slice(1));
      }
      return packages.some((p) => pattern.test(p));
    }),
  );
}

function findCommands(root: ShNode): ShNode[] {
  const out: ShNode[] = [];
  const visit = (node: ShNode): void => {
    if (node.type === 'command') out.push(node);
    for (const child of node.children) visit(child);
  };
  visit(root);
  return out;
}

const show = (words: readonly string[]): string => JSON.stringify(words).replace(/","/g, '", "');

function values(words: readonly Word[]): string[] | undefined {
  const out: string[] = [];
  for (const w of words) {
    if (w.value === undefined) return undefined;
    out.push(w.value);
  }
  return out;
}

/** The service an init command starts, in the foreground. */
function serviceForeground(service: string | undefined): { fix?: string[]; preferred?: boolean; hint?: string } {
  const generic = {};
  if (service === undefined) return generic;
  const php = /^php([\d.]*)-fpm$/.exec(service);
  if (php) {
    const binary = php[1] ? `php-fpm${php[1]}` : 'php-fpm';
    return { fix: [binary, '-F'], preferred: false, hint: show([binary, '-F']) };
  }
  const table: Record<string, { fix: string[]; preferred: boolean }> = {
    nginx: { fix: ['nginx', '-g', 'daemon off;'], preferred: true },
    apache2: { fix: ['apache2ctl', '-D', 'FOREGROUND'], preferred: true },
    httpd: { fix: ['httpd', '-DFOREGROUND'], preferred: true },
    cron: { fix: ['cron', '-f'], preferred: true },
    crond: { fix: ['crond', '-n'], preferred: true },
    ssh: { fix: ['/usr/sbin/sshd', '-D'], preferred: false },
    sshd: { fix: ['/usr/sbin/sshd', '-D'], preferred: false },
    'redis-server': { fix: ['redis-server'], preferred: false },
    redis: { fix: ['redis-server'], preferred: false },
    mysql: { fix: ['mysqld'], preferred: false },
    mysqld: { fix: ['mysqld'], preferred: false },
    mariadb: { fix: ['mariadbd'], preferred: false },
    supervisor: { fix: ['supervisord', '-n'], preferred: true },
    supervisord: { fix: ['supervisord', '-n'], preferred: true },
  };
  const known = table[service];
  if (known) return { ...known, hint: show(known.fix) };
  return generic; // postgresql too: `postgres` needs its user, data directory and binary path
}

const INFO_FLAGS: Record<string, ReadonlySet<string>> = {
  nginx: new Set(['-t', '-T', '-v', '-V', '-h', '-?', '-s', '-q']),
  httpd: new Set(['-t', '-v', '-V', '-S', '-M', '-l', '-L', '-h', '-X', '-f']),
  fpm: new Set([
    '-t',
    '--test',
    '-v',
    '--version',
    '-i',
    '--info',
    '-m',
    '--modules',
    '-h',
    '--help',
    '-F',
    '--nodaemonize',
  ]),
};

/** Is the command `words` (name first, all literal unless noted) a daemon that backgrounds itself? */
function classify(words: readonly (string | undefined)[], ctx: Context): Daemon | undefined {
  const name = words[0];
  if (name === undefined) return undefined;
  const base = basename(name);
  const args = words.slice(1);
  const literal = args.every((a) => a !== undefined);
  const list = args.filter((a): a is string => a !== undefined);
  const has = (...flags: string[]) => list.some((a) => flags.includes(a));
  const cluster = (letter: string) => list.some((a) => shortFlags(a).includes(letter));
  const service = (svc: string | undefined): Daemon => ({ message: 'service', ...serviceForeground(svc) });

  // Init systems: `service x start`, `/etc/init.d/x start`, `systemctl start x`.
  if (base === 'service' || base === 'rc-service' || base === 'invoke-rc.d') {
    const action = args[1];
    return action !== undefined && STARTS.has(action) ? service(args[0]) : undefined;
  }
  if (/^\/etc\/(rc\.d\/)?init\.d\/[^/]+$/.test(name)) {
    return args[0] !== undefined && STARTS.has(args[0]) ? service(base) : undefined;
  }
  if (base === 'systemctl') {
    const verb = list.find((a) => !a.startsWith('-'));
    const starts = verb !== undefined && (STARTS.has(verb) || (verb === 'enable' && has('--now')));
    if (!starts) return undefined;
    const units = list.filter((a) => !a.startsWith('-') && a !== verb);
    return service(units.length === 1 ? units[0]!.replace(/\.service$/, '') : undefined);
  }
  if (!literal) return undefined; // `nginx $OPTS`: the options may well say foreground

  switch (true) {
    case base === 'nginx': {
      if (list.some((a) => INFO_FLAGS['nginx']!.has(a)) || has('-c')) return undefined;
      const g = list.indexOf('-g');
      if (g >= 0 && /daemon\s+off/.test(list[g + 1] ?? '')) return undefined;
      if (runMentions(ctx, 'nginx', /daemon\s+off/) || copies(ctx, 'nginx', /nginx\.conf|^\/etc\/nginx\/?$/))
        return undefined;
      let fix: string[];
      if (g >= 0 && g + 1 < list.length) {
        fix = [name, ...list];
        fix[g + 2] = `${list[g + 1]!.replace(/\s*;?\s*$/, ';')} daemon off;`;
      } else fix = [name, ...list, '-g', 'daemon off;'];
      return { message: 'daemon', hint: show(fix), fix, preferred: true };
    }
    case base === 'apachectl' || base === 'apache2ctl': {
      if (/FOREGROUND/.test(list.join(' '))) return undefined;
      const plain =
        list.length === 0 ||
        (list.length === 1 && STARTS.has(list[0]!)) ||
        (list.length === 2 && list[0] === '-k' && STARTS.has(list[1]!));
      const starts = plain || list.some((a) => STARTS.has(a) || a === 'graceful');
      if (!starts) return undefined;
      const fix = [name, '-D', 'FOREGROUND'];
      return plain
        ? { message: 'daemon', hint: show(fix), fix, preferred: true }
        : { message: 'daemon', hint: show(fix) };
    }
    case base === 'httpd' || base === 'apache2': {
      if (/FOREGROUND/.test(list.join(' ')) || list.some((a) => INFO_FLAGS['httpd']!.has(a))) return undefined;
      const k = list.indexOf('-k');
      if (k >= 0 && !STARTS.has(list[k + 1] ?? '') && list[k + 1] !== 'graceful') return undefined;
      const rest = k >= 0 ? [...list.slice(0, k), ...list.slice(k + 2)] : list;
      const fix =
        base === 'apache2'
          ? rest.length === 0
            ? ['apache2ctl', '-D', 'FOREGROUND']
            : undefined
          : [name, '-DFOREGROUND', ...rest];
      return { message: 'daemon', hint: show(fix ?? ['apache2ctl', '-D', 'FOREGROUND']), fix, preferred: true };
    }
    case /^php(-fpm[\d.]*|[\d.]*-fpm)$/.test(base): {
      const daemonize = has('-D', '--daemonize');
      if (!daemonize) {
        if (list.some((a) => INFO_FLAGS['fpm']!.has(a)) || cluster('F')) return undefined;
        if (has('-y', '--fpm-config', '-c', '--php-ini')) return undefined;
        if (!installs(ctx, 'fpm', /^php[\d.]*-fpm$|^php-fpm[\d.]*$/)) return undefined; // php:fpm images run it in the foreground
        if (runMentions(ctx, 'fpm', /daemonize/) || copies(ctx, 'fpm', /php-fpm\.conf/)) return undefined;
      }
      const fix = [name, ...list.filter((a) => a !== '-D' && a !== '--daemonize'), '-F'];
      return { message: 'daemon', hint: show(fix), fix, preferred: true };
    }
    case base === 'cron' || base === 'crond': {
      if (cluster('f') || cluster('n') || (base === 'crond' && cluster('d')) || has('--foreground')) return undefined;
      if (list.some((a) => a === '-h' || a === '--help' || a === '-V')) return undefined;
      // cronie (Fedora, RHEL) stays in the foreground with -n; Debian's cron and busybox's crond with -f.
      const foreground = base === 'crond' && installs(ctx, 'cronie', /^cronie/) ? '-n' : '-f';
      const fix = [name, ...list.filter((a) => a !== '-b'), foreground];
      return { message: 'daemon', hint: show(fix), fix, preferred: true };
    }
    case base === 'sshd': {
      if (cluster('D') || cluster('d') || cluster('t') || cluster('T') || cluster('V')) return undefined;
      const fix = [name.startsWith('/') ? name : '/usr/sbin/sshd', '-D', ...list];
      return { message: 'daemon', hint: show(fix), fix, preferred: true };
    }
    case base === 'redis-server': {
      const i = list.indexOf('--daemonize');
      if (i < 0 || !/^(yes)$/i.test(list[i + 1] ?? '')) return undefined;
      const fix = [name, ...list.slice(0, i), ...list.slice(i + 2)];
      return { message: 'daemon', hint: show(fix), fix, preferred: true };
    }
    case base === 'mysqld' || base === 'mariadbd': {
      const i = list.findIndex((a) => /^--daemonize(=(1|on|true))?$/i.test(a));
      if (i < 0) return undefined;
      const fix = [name, ...list.slice(0, i), ...list.slice(i + 1)];
      return { message: 'daemon', hint: show(fix), fix, preferred: true };
    }
    case base === 'supervisord': {
      if (has('-n', '--nodaemon') || cluster('n')) return undefined;
      if (list.some((a) => a === '-c' || a.startsWith('--configuration') || a === '-h' || a === '--help' || a === '-v'))
        return undefined;
      if (!installs(ctx, 'supervisor', /^supervisor$/)) return undefined; // the base image may configure nodaemon
      if (runMentions(ctx, 'supervisor', /nodaemon/) || copies(ctx, 'supervisor', /supervisor/i)) return undefined;
      const fix = [name, ...list, '-n'];
      return { message: 'daemon', hint: show(fix), fix, preferred: true };
    }
    case base === 'memcached' || base === 'elasticsearch' || base === 'haproxy' || base === 'gunicorn': {
      const flag = base === 'haproxy' || base === 'gunicorn' ? 'D' : 'd';
      const long =
        base === 'memcached'
          ? '--daemon'
          : base === 'gunicorn'
            ? '--daemon'
            : base === 'elasticsearch'
              ? '--daemonize'
              : '';
      const i = list.findIndex((a) => a === `-${flag}` || (long !== '' && a === long));
      if (i < 0) return undefined;
      const fix = [name, ...list.slice(0, i), ...list.slice(i + 1)];
      return { message: 'daemon', hint: show(fix), fix, preferred: true };
    }
    case base === 'mongod': {
      const i = list.indexOf('--fork');
      if (i < 0) return undefined;
      const fix = [name, ...list.slice(0, i), ...list.slice(i + 1)];
      return { message: 'daemon', hint: show(fix), fix, preferred: true };
    }
    case base === 'catalina.sh' || base === 'zkServer.sh': {
      const i = list.indexOf('start');
      if (i < 0) return undefined;
      const fix = [...[name, ...list]];
      fix[i + 1] = base === 'catalina.sh' ? 'run' : 'start-foreground';
      return { message: 'daemon', hint: show(fix), fix, preferred: true };
    }
    case base === 'pg_ctl' || base === 'pg_ctlcluster' || base === 'postfix': {
      if (!list.includes('start')) return undefined;
      return base === 'postfix' ? { message: 'daemon', hint: show(['postfix', 'start-fg']) } : { message: 'daemon' };
    }
    case base === 'lighttpd': {
      if (cluster('D') || list.some((a) => a === '-t' || a === '-tt' || a === '-v' || a === '-V' || a === '-h'))
        return undefined;
      const fix = [name, '-D', ...list];
      return { message: 'daemon', hint: show(fix), fix, preferred: true };
    }
    case base === 'rsyslogd': {
      if (cluster('n') || cluster('N') || cluster('v')) return undefined;
      const fix = [name, '-n', ...list];
      return { message: 'daemon', hint: show(fix), fix, preferred: true };
    }
    default:
      return undefined;
  }
}

/** Skips wrappers such as `exec`, `tini --`, `gosu user`: the index of the program that runs. */
function unwrap(words: readonly (string | undefined)[]): number | undefined {
  let i = 0;
  for (let guard = 0; guard < 16; guard++) {
    const skip = wrapperSkip(words.slice(i));
    if (skip === undefined) return words[i] === undefined ? undefined : i;
    i += skip;
  }
  return undefined;
}

/** The last thing a shell script runs: its final command, or the `&` that sends it to the background. */
function finalStep(node: ShNode): { kind: 'background'; node: ShNode } | { kind: 'command'; node: ShNode } | undefined {
  switch (node.type) {
    case 'program':
    case 'subshell':
    case 'compound_statement': {
      const children = node.children;
      let last = -1;
      children.forEach((c, i) => {
        if (c.named && c.type !== 'comment') last = i;
      });
      if (last < 0) return undefined;
      const amp = children.slice(last + 1).find((c) => c.type === '&');
      if (amp) return { kind: 'background', node: amp };
      return finalStep(children[last]!);
    }
    case 'list': {
      const named = node.children.filter((c) => c.named && c.type !== 'comment');
      return named.length ? finalStep(named[named.length - 1]!) : undefined;
    }
    case 'redirected_statement': {
      const body = node.children.find((c) => c.field === 'body');
      return body ? finalStep(body) : undefined;
    }
    case 'command':
      return { kind: 'command', node };
    default:
      return undefined;
  }
}

interface Target {
  /** The keyword instruction (CMD/ENTRYPOINT, or an ONBUILD's trigger) and its outer instruction. */
  readonly instruction: Instruction;
  readonly outer: Instruction;
}

interface Found {
  readonly range: Range;
  readonly message: 'service' | 'daemon' | 'background';
  readonly command: string;
  readonly hint?: string;
  /** Replace `replace` with the exec form `fix`. */
  readonly fix?: readonly string[];
  readonly replace?: Range;
  readonly preferred?: boolean;
}

/** Checks a shell script (a shell-form body or an exec-form `sh -c` string). */
function checkScript(script: ShellScript, ctx: Context, replace: Range | undefined): Found | undefined {
  const step = finalStep(script.root);
  if (!step) return undefined;
  if (step.kind === 'background') {
    return { range: script.rangeOf(step.node), message: 'background', command: '&' };
  }
  const nodes = wordNodes(step.node);
  const words = nodes.map((n) => literalWord(n));
  const index = unwrap(words);
  if (index === undefined) return undefined;
  const daemon = classify(words.slice(index), ctx);
  if (!daemon) return undefined;
  const range = script.range(nodes[index]!.start, step.node.end);
  // The fix replaces the whole command: only when the script is exactly this one command.
  const statements = script.root.children.filter((c) => c.named);
  const simple =
    statements.length === 1 &&
    statements[0] === step.node &&
    step.node.children.every((c) => c.field === 'name' || c.field === 'argument');
  const prefix = values(nodes.slice(0, index).map((n) => ({ value: literalWord(n), range })));
  const keepPrefix = prefix?.filter((w, i) => i > 0 || basename(w) !== 'exec');
  return {
    range,
    message: daemon.message,
    command: step.node.text.slice(nodes[index]!.start - step.node.start),
    hint: daemon.hint,
    fix: simple && daemon.fix && replace && keepPrefix ? [...keepPrefix, ...daemon.fix] : undefined,
    replace,
    preferred: daemon.preferred ?? true,
  };
}

/** Exec-form words: `sh -c "..."` is a script; anything else a command. */
function checkExec(words: readonly ExecWord[], ctx: Context, replace: Range | undefined): Found | undefined {
  const values = words.map((w) => w.value);
  const index = unwrap(values);
  if (index === undefined) return undefined;
  const name = basename(values[index]!);
  if (SHELLS.has(name)) {
    let c = index + 1;
    while (c < values.length && values[c]!.startsWith('-') && !shortFlags(values[c]).includes('c')) c++;
    if (c >= values.length || !shortFlags(values[c]).includes('c') || c + 1 >= values.length) return undefined;
    const source = words[c + 1]!;
    const parsed = ctx.model.parseShell(source.value);
    if (!parsed) return undefined;
    const pieces = source.offsets.slice(0, -1).map((to, from) => ({ from, to }));
    const script = new ShellScript(
      'body',
      parsed,
      ctx.model.document,
      pieces.length ? pieces : [{ from: 0, to: source.offsets[0]! }],
    );
    const found = checkScript(script, ctx, replace);
    if (!found?.fix) return found;
    // Keep what ran the shell out of the fix only when the shell was all there was.
    return index === 0 && c + 2 === values.length ? found : { ...found, fix: undefined };
  }
  const daemon = classify(values.slice(index), ctx);
  if (!daemon) return undefined;
  const range = { start: words[index]!.range.start, end: words[words.length - 1]!.range.end };
  const prefix = values.slice(0, index).filter((_, i) => i > 0 || basename(values[0]!) !== 'exec');
  return {
    range,
    message: daemon.message,
    command: values.slice(index).join(' '),
    hint: daemon.hint,
    fix: daemon.fix && replace ? [...prefix, ...daemon.fix] : undefined,
    replace,
    preferred: daemon.preferred ?? true,
  };
}

function execRange(instruction: Instruction): Range | undefined {
  if (!(instruction instanceof JSONInstruction)) return undefined;
  const open = instruction.getOpeningBracket();
  const close = instruction.getClosingBracket();
  return open && close ? { start: open.getRange().start, end: close.getRange().end } : undefined;
}

function shellRange(instruction: Instruction): Range | undefined {
  const args = instruction.getArguments();
  return args.length ? { start: args[0]!.getRange().start, end: args[args.length - 1]!.getRange().end } : undefined;
}

/** Pass-through ENTRYPOINTs: the CMD is still the command that runs. */
function isWrapperOnly(words: readonly string[]): boolean {
  if (words.length === 0) return false;
  const skip = wrapperSkip([...words, '__cmd__']);
  return skip === words.length;
}

function checkTarget(model: DockerfileModel, target: Target, siblings: readonly Target[]): Found | undefined {
  const { instruction, outer } = target;
  const ctx: Context = { model, instruction: outer, facts: new Map() };
  const keyword = instruction.getKeyword();
  const entrypoint = siblings.find((s) => s.instruction.getKeyword() === 'ENTRYPOINT');
  const cmd = siblings.find((s) => s.instruction.getKeyword() === 'CMD');
  if (keyword === 'CMD' && entrypoint) {
    // The CMD is only arguments to the ENTRYPOINT, unless that is a pass-through such as tini.
    if (!isExecForm(entrypoint.instruction)) return undefined;
    const words = execWords(model.document, entrypoint.instruction).map((w) => w.value);
    if (!isWrapperOnly(words)) return undefined;
  }
  if (!isExecForm(instruction)) {
    const scripts = model.shellScripts(outer);
    return scripts.length === 1 ? checkScript(scripts[0]!, ctx, shellRange(instruction)) : undefined;
  }
  const words = execWords(model.document, instruction);
  if (words.length === 0) return undefined;
  if (keyword === 'ENTRYPOINT' && cmd && isExecForm(cmd.instruction)) {
    // ENTRYPOINT ["nginx"] + CMD ["-g", "daemon off;"]: the command is both together.
    const cmdWords = execWords(model.document, cmd.instruction);
    if (isWrapperOnly(words.map((w) => w.value))) return undefined; // the CMD is the command: checked there
    const found = checkExec([...words, ...cmdWords], ctx, undefined);
    if (!found) return undefined;
    const end = words[words.length - 1]!.range.end;
    const after = (a: Range['end'], b: Range['end']) =>
      a.line > b.line || (a.line === b.line && a.character > b.character);
    return { ...found, range: { start: found.range.start, end: after(found.range.end, end) ? end : found.range.end } };
  }
  if (keyword === 'ENTRYPOINT' && cmd && !isExecForm(cmd.instruction)) return undefined;
  return checkExec(words, ctx, execRange(instruction));
}

export default defineRule({
  id: 'cmd-foreground',
  severity: 'warning',
  peers: [],
  instructions: ['CMD', 'ENTRYPOINT'],
  scope: 'stage',
  messages: {
    service: {
      en: '`{0}` asks an init script to start the service in the background and returns at once: the main process ends, and the container exits with it (our notes: with `CMD service nginx start` the main process is `sh`, and when the command ends the container stops). Run the program itself in the foreground: {1}.',
      'zh-cn':
        '`{0}` 让 init 脚本在后台启动服务后立即返回：主进程结束，容器也随之退出（笔记：`CMD service nginx start` 的主进程实际上是 sh，命令结束后 sh 退出，容器也就退出了）。请让程序本身在前台运行：{1}。',
    },
    daemon: {
      en: '`{0}` forks into the background and returns at once: the main process ends, and the container exits with it. A container is a process; run the program in the foreground (our notes: `CMD ["nginx", "-g", "daemon off;"]`): {1}.',
      'zh-cn':
        '`{0}` 会转入后台并立即返回：主进程结束，容器也随之退出。容器就是进程，应用应在前台运行（笔记：`CMD ["nginx", "-g", "daemon off;"]`）：{1}。',
    },
    serviceGeneric: {
      en: '`{0}` asks an init script to start the service in the background and returns at once: the main process ends, and the container exits with it (our notes: with `CMD service nginx start` the main process is `sh`, and when the command ends the container stops). Run the program itself in the foreground, in exec form.',
      'zh-cn':
        '`{0}` 让 init 脚本在后台启动服务后立即返回：主进程结束，容器也随之退出（笔记：`CMD service nginx start` 的主进程实际上是 sh，命令结束后 sh 退出，容器也就退出了）。请用 exec 格式让程序本身在前台运行。',
    },
    daemonGeneric: {
      en: '`{0}` forks into the background and returns at once: the main process ends, and the container exits with it. A container is a process; run the program in the foreground (our notes: `CMD ["nginx", "-g", "daemon off;"]`).',
      'zh-cn':
        '`{0}` 会转入后台并立即返回：主进程结束，容器也随之退出。容器就是进程，应用应在前台运行（笔记：`CMD ["nginx", "-g", "daemon off;"]`）。',
    },
    background: {
      en: 'The trailing `&` sends the command to the background: the shell then ends, and the container exits with it (our notes: a container is a process; its main process must stay in the foreground). Remove the `&`.',
      'zh-cn':
        '末尾的 `&` 把命令放到后台：shell 随即结束，容器也随之退出（笔记：容器就是进程，主进程必须在前台运行）。请去掉 `&`。',
    },
    default: {
      en: 'This command starts a daemon in the background and returns at once: the container exits. Run the program in the foreground.',
      'zh-cn': '这条命令在后台启动守护进程后立即返回：容器随之退出。请让程序在前台运行。',
    },
  },
  check({ model, stages, report }) {
    const groups: Target[][] = [];
    for (const stage of stages) {
      const own: Target[] = [];
      const triggers: Target[] = [];
      for (const outer of stage.instructions) {
        const instruction = effectiveInstruction(outer);
        const keyword = instruction.getKeyword();
        if (keyword !== 'CMD' && keyword !== 'ENTRYPOINT') continue;
        (instruction === outer ? own : triggers).push({ instruction, outer });
      }
      groups.push(own, triggers);
    }
    for (const group of groups) {
      // Only the last CMD and the last ENTRYPOINT of a stage count.
      const last = ['CMD', 'ENTRYPOINT']
        .map((k) => group.filter((t) => t.instruction.getKeyword() === k).pop())
        .filter((t): t is Target => t !== undefined);
      for (const target of last) {
        const found = checkTarget(model, target, last);
        if (!found) continue;
        const fix =
          found.fix && found.replace
            ? { exec: found.fix, replace: found.replace, preferred: found.preferred }
            : undefined;
        report({
          range: found.range,
          message: found.hint || found.message === 'background' ? found.message : `${found.message}Generic`,
          args: [
            found.command.length > 60 ? found.command.slice(0, 57) + '...' : found.command,
            found.hint ? `\`${target.instruction.getKeyword()} ${found.hint}\`` : '',
          ],
          data: fix,
          noFixReason: fix
            ? undefined
            : {
                en: 'No automatic fix: the foreground command is not certain here (an unknown service, other commands around it, or arguments split between ENTRYPOINT and CMD).',
                'zh-cn':
                  '无法自动修复：这里无法确定前台命令（未知的服务、前后还有其他命令，或参数分散在 ENTRYPOINT 与 CMD 中）。',
              },
        });
      }
    }
  },
  fix({ data }) {
    const fix = data as { exec?: string[]; replace?: Range; preferred?: boolean } | undefined;
    if (!fix?.exec || !fix.replace) return [];
    const text = JSON.stringify(fix.exec).replace(/","/g, '", "');
    return [
      {
        title: { en: 'Run in the foreground: {0}', 'zh-cn': '改为在前台运行：{0}' },
        titleArgs: [text],
        edits: [{ range: fix.replace, newText: text }],
        preferred: fix.preferred ?? true,
      },
    ];
  },
});
