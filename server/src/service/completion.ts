import type { Argument, Instruction } from 'dockerfile-ast';
import { ModifiableInstruction, Onbuild } from 'dockerfile-ast';
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  MarkupKind,
  type Command,
  type CompletionItem,
  type CompletionList,
  type MarkupContent,
  type Position,
  type Range,
} from 'vscode-languageserver-types';
import type { DocsLibrary } from './docs';
import { localize, type Lang, type Localized } from './locale';
import { renderMarkdown } from './markdown';
import type { DockerfileModel, Stage, VariableDefinition } from './model';
import { heredocsOf } from './folding';
import { isExecForm } from './shell';
import { AUTOMATIC_ARGS } from './keywords';

export interface CompletionOptions {
  readonly lang: Lang;
  /** The client renders Markdown documentation (`completionItem.documentationFormat`). */
  readonly markdown: boolean;
  /** The client takes snippets (`completionItem.snippetSupport`); plain insert text otherwise. */
  readonly snippets: boolean;
  /**
   * The client knows the `editor.action.triggerSuggest` command (VS Code): used to open the value
   * list right after inserting `--mount=`, `--from=`, ...
   */
  readonly triggerSuggest?: boolean;
}

type Keyword =
  | 'ADD'
  | 'ARG'
  | 'CMD'
  | 'COPY'
  | 'ENTRYPOINT'
  | 'ENV'
  | 'EXPOSE'
  | 'FROM'
  | 'HEALTHCHECK'
  | 'LABEL'
  | 'MAINTAINER'
  | 'ONBUILD'
  | 'RUN'
  | 'SHELL'
  | 'STOPSIGNAL'
  | 'USER'
  | 'VOLUME'
  | 'WORKDIR';

interface InstructionSpec {
  readonly keyword: Keyword;
  readonly snippet: string;
  readonly detail: Localized;
  readonly deprecated?: boolean;
}

const INSTRUCTIONS: readonly InstructionSpec[] = [
  {
    keyword: 'FROM',
    snippet: 'FROM ${1:image}:${2:tag}',
    detail: { en: 'Start a build stage from a base image', 'zh-cn': '以基础镜像开始一个构建阶段' },
  },
  {
    keyword: 'RUN',
    snippet: 'RUN ${1:command}',
    detail: { en: 'Run a command in a new layer', 'zh-cn': '在新的一层中执行命令' },
  },
  {
    keyword: 'COPY',
    snippet: 'COPY ${1:source} ${2:destination}',
    detail: { en: 'Copy files from the build context or a stage', 'zh-cn': '从构建上下文或构建阶段复制文件' },
  },
  {
    keyword: 'ADD',
    snippet: 'ADD ${1:source} ${2:destination}',
    detail: {
      en: 'Add files, URLs or archives (unpacked) to the image',
      'zh-cn': '向镜像添加文件、URL 或压缩包（自动解压）',
    },
  },
  {
    keyword: 'CMD',
    snippet: 'CMD ["${1:executable}", "${2:param}"]',
    detail: { en: 'Default command of the container', 'zh-cn': '容器的默认命令' },
  },
  {
    keyword: 'ENTRYPOINT',
    snippet: 'ENTRYPOINT ["${1:executable}", "${2:param}"]',
    detail: { en: 'The program the container runs', 'zh-cn': '容器运行的程序' },
  },
  {
    keyword: 'ENV',
    snippet: 'ENV ${1:key}=${2:value}',
    detail: { en: 'Set environment variables', 'zh-cn': '设置环境变量' },
  },
  {
    keyword: 'ARG',
    snippet: 'ARG ${1:name}',
    detail: { en: 'Declare a build argument', 'zh-cn': '声明构建参数' },
  },
  {
    keyword: 'WORKDIR',
    snippet: 'WORKDIR ${1:/path}',
    detail: { en: 'Set the working directory', 'zh-cn': '设置工作目录' },
  },
  {
    keyword: 'USER',
    snippet: 'USER ${1:user}',
    detail: { en: 'Set the user (and group) to run as', 'zh-cn': '设置运行时使用的用户（及用户组）' },
  },
  {
    keyword: 'EXPOSE',
    snippet: 'EXPOSE ${1:port}',
    detail: { en: 'Document the ports the container listens on', 'zh-cn': '声明容器监听的端口' },
  },
  {
    keyword: 'VOLUME',
    snippet: 'VOLUME ["${1:/data}"]',
    detail: { en: 'Create a mount point for a volume', 'zh-cn': '创建数据卷挂载点' },
  },
  {
    keyword: 'LABEL',
    snippet: 'LABEL ${1:key}="${2:value}"',
    detail: { en: 'Add metadata to the image', 'zh-cn': '为镜像添加元数据' },
  },
  {
    keyword: 'HEALTHCHECK',
    snippet: 'HEALTHCHECK --interval=${1:30s} --timeout=${2:5s} CMD ${3:command}',
    detail: { en: 'Check that the container still works', 'zh-cn': '检查容器是否仍在正常工作' },
  },
  {
    keyword: 'SHELL',
    snippet: 'SHELL ["${1:/bin/bash}", "${2:-c}"]',
    detail: { en: 'Set the shell of the shell form', 'zh-cn': '设置 shell 格式使用的 shell' },
  },
  {
    keyword: 'STOPSIGNAL',
    snippet: 'STOPSIGNAL ${1:SIGTERM}',
    detail: { en: 'Signal sent to stop the container', 'zh-cn': '停止容器时发送的信号' },
  },
  {
    keyword: 'ONBUILD',
    snippet: 'ONBUILD ${1:INSTRUCTION}',
    detail: {
      en: 'Add a trigger for builds based on this image',
      'zh-cn': '为以此镜像为基础的构建添加触发指令',
    },
  },
  {
    keyword: 'MAINTAINER',
    snippet: 'MAINTAINER ${1:name}',
    detail: {
      en: 'Deprecated: use LABEL org.opencontainers.image.authors',
      'zh-cn': '已弃用：请使用 LABEL org.opencontainers.image.authors',
    },
    deprecated: true,
  },
];

/** Not allowed as an ONBUILD trigger. */
const NOT_TRIGGERS = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);

interface FlagSpec {
  readonly name: string;
  /** Snippet after `--name`: `=${1:value}`, `=` (values are suggested), or '' for a switch. */
  readonly snippet: string;
  /** The flag takes values Docksmith suggests (re-open the list after inserting it). */
  readonly values?: boolean;
  /** May be given more than once. */
  readonly repeatable?: boolean;
}

const FLAGS: Readonly<Record<string, readonly FlagSpec[]>> = {
  COPY: [
    { name: 'from', snippet: '=', values: true },
    { name: 'chown', snippet: '=${1:user}:${2:group}' },
    { name: 'chmod', snippet: '=${1:755}' },
    { name: 'link', snippet: '' },
    { name: 'exclude', snippet: '=${1:pattern}', repeatable: true },
    { name: 'parents', snippet: '' },
  ],
  ADD: [
    { name: 'chown', snippet: '=${1:user}:${2:group}' },
    { name: 'chmod', snippet: '=${1:755}' },
    { name: 'link', snippet: '' },
    { name: 'exclude', snippet: '=${1:pattern}', repeatable: true },
    { name: 'checksum', snippet: '=${1:sha256:}' },
    { name: 'keep-git-dir', snippet: '' },
    { name: 'unpack', snippet: '' },
  ],
  RUN: [
    { name: 'mount', snippet: '=', values: true, repeatable: true },
    { name: 'network', snippet: '=', values: true },
    { name: 'security', snippet: '=', values: true },
  ],
  FROM: [{ name: 'platform', snippet: '=', values: true }],
  HEALTHCHECK: [
    { name: 'interval', snippet: '=${1:30s}' },
    { name: 'timeout', snippet: '=${1:30s}' },
    { name: 'start-period', snippet: '=${1:0s}' },
    { name: 'start-interval', snippet: '=${1:5s}' },
    { name: 'retries', snippet: '=${1:3}' },
  ],
};

const TEXT = {
  stage: { en: 'Build stage {0}, line {1}', 'zh-cn': '构建阶段 {0}，第 {1} 行' },
  scratch: { en: 'The empty image', 'zh-cn': '空白镜像' },
  as: { en: 'Name this build stage', 'zh-cn': '为此构建阶段命名' },
  healthcheckCmd: {
    en: 'The command that checks the container (exit 0: healthy)',
    'zh-cn': '检查容器的命令（退出码 0 表示健康）',
  },
  healthcheckNone: {
    en: 'Disable the health check inherited from the base image',
    'zh-cn': '禁用从基础镜像继承的健康检查',
  },
  automaticArg: {
    en: 'Automatic platform ARG, set by BuildKit',
    'zh-cn': 'BuildKit 自动设置的平台 ARG',
  },
  globalArg: {
    en: 'Global ARG (line {0}): declare it here to use it in this stage',
    'zh-cn': '全局 ARG（第 {0} 行）：在此声明后才能在本阶段使用',
  },
  variableValue: { en: '{0} = {1}', 'zh-cn': '{0} = {1}' },
  variableNoValue: { en: '{0}, no value', 'zh-cn': '{0}，无值' },
  variableDefined: { en: 'Defined on line {0}.', 'zh-cn': '定义于第 {0} 行。' },
  platform: { en: 'Target platform', 'zh-cn': '目标平台' },
  network: {
    default: { en: 'The default network', 'zh-cn': '默认网络' },
    none: { en: 'No network access', 'zh-cn': '无网络访问' },
    host: {
      en: "The host's network (needs the network.host entitlement)",
      'zh-cn': '使用宿主机网络（需要 network.host 授权）',
    },
  },
  security: {
    sandbox: { en: 'The default sandbox', 'zh-cn': '默认沙箱' },
    insecure: {
      en: 'Without sandbox (needs the security.insecure entitlement)',
      'zh-cn': '不使用沙箱（需要 security.insecure 授权）',
    },
  },
} as const;

interface MountKeySpec {
  readonly key: string;
  readonly detail: Localized;
  /** A switch (`rw`, `required`): inserted without `=`. */
  readonly flag?: boolean;
  readonly values?: readonly string[];
}

const MOUNT_KEYS: Readonly<Record<string, MountKeySpec>> = {
  type: {
    key: 'type',
    detail: { en: 'Mount type (default bind)', 'zh-cn': '挂载类型（默认 bind）' },
    values: ['bind', 'cache', 'tmpfs', 'secret', 'ssh'],
  },
  target: { key: 'target', detail: { en: 'Mount path in the build container', 'zh-cn': '构建容器中的挂载路径' } },
  source: { key: 'source', detail: { en: 'Path in the `from` source', 'zh-cn': '`from` 来源中的路径' } },
  from: {
    key: 'from',
    detail: { en: 'Build stage, image or context to mount from', 'zh-cn': '挂载来源：构建阶段、镜像或上下文' },
  },
  rw: { key: 'rw', detail: { en: 'Writable (changes are discarded)', 'zh-cn': '可写（修改会被丢弃）' }, flag: true },
  id: { key: 'id', detail: { en: 'Cache or secret id', 'zh-cn': '缓存或密钥的 id' } },
  sharing: {
    key: 'sharing',
    detail: { en: 'How concurrent builds share the cache', 'zh-cn': '并发构建如何共享缓存' },
    values: ['shared', 'private', 'locked'],
  },
  mode: { key: 'mode', detail: { en: 'File mode (octal)', 'zh-cn': '文件权限（八进制）' } },
  uid: { key: 'uid', detail: { en: 'Owner user id', 'zh-cn': '所有者用户 ID' } },
  gid: { key: 'gid', detail: { en: 'Owner group id', 'zh-cn': '所有者组 ID' } },
  ro: { key: 'ro', detail: { en: 'Read-only (alias readonly)', 'zh-cn': '只读（别名 readonly）' }, flag: true },
  size: { key: 'size', detail: { en: 'Size limit of the tmpfs', 'zh-cn': 'tmpfs 的大小上限' } },
  env: {
    key: 'env',
    detail: { en: 'Expose the secret as this environment variable', 'zh-cn': '以该环境变量提供密钥' },
  },
  required: {
    key: 'required',
    detail: { en: 'Fail the build when it is missing', 'zh-cn': '缺失时构建失败' },
    flag: true,
  },
};

const MOUNT_KEYS_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  bind: ['target', 'source', 'from', 'rw'],
  cache: ['target', 'id', 'sharing', 'from', 'source', 'mode', 'uid', 'gid', 'ro'],
  tmpfs: ['target', 'size'],
  secret: ['id', 'target', 'env', 'required', 'mode', 'uid', 'gid'],
  ssh: ['id', 'target', 'required', 'mode', 'uid', 'gid'],
};
const MOUNT_KEY_ALIASES: Readonly<Record<string, string>> = {
  dst: 'target',
  destination: 'target',
  src: 'source',
  readonly: 'ro',
  readwrite: 'rw',
};

const DIRECTIVES: readonly { name: string; snippet: string; values: readonly string[] }[] = [
  {
    name: 'syntax',
    snippet: 'syntax=${1:docker/dockerfile:1}',
    values: ['docker/dockerfile:1', 'docker/dockerfile:1-labs'],
  },
  { name: 'escape', snippet: 'escape=${1|\\\\,`|}', values: ['\\', '`'] },
  { name: 'check', snippet: 'check=${1|skip=all,error=true|}', values: ['skip=all', 'error=true', 'skip='] },
];

const PLATFORMS = ['$BUILDPLATFORM', '$TARGETPLATFORM', 'linux/amd64', 'linux/arm64', 'linux/arm/v7', 'windows/amd64'];

const RUNTIME = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK']);

const TRIGGER_SUGGEST: Command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/**
 * Completion at a position, on the cached model. What is offered depends on where the cursor is:
 * parser directives in the comment lines at the top; instruction keywords (as snippets) at the
 * start of an instruction and after ONBUILD; flags in an instruction's flag area; `--mount` keys
 * and values; stage names after `FROM`, `COPY --from=` and `--mount=...,from=`; `AS` after the
 * image; `CMD`/`NONE` after HEALTHCHECK's flags; variables in scope after `$` and `${`.
 */
export function doComplete(
  model: DockerfileModel,
  docs: DocsLibrary,
  position: Position,
  options: CompletionOptions,
): CompletionList {
  const items = collect(model, docs, position, options);
  items.forEach((item, i) => {
    item.sortText ??= String(i).padStart(4, '0');
  });
  return { isIncomplete: false, items };
}

function collect(
  model: DockerfileModel,
  docs: DocsLibrary,
  position: Position,
  options: CompletionOptions,
): CompletionItem[] {
  const { document } = model;
  const line = position.line;
  const lineText = document
    .getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } })
    .replace(/\r?\n$/, '');
  const textBefore = lineText.slice(0, position.character);
  const textAfter = lineText.slice(position.character);
  const ctx = new Context(model, docs, position, options);

  if (/^\s*#/.test(textBefore)) return directiveItems(ctx, textBefore);

  const outer = model.instructionAtLine(line);
  const variable = variableContext(model, textBefore);
  if (outer && inHeredocBody(outer, line)) return variable ? variableItems(ctx, outer, variable, textAfter) : [];

  if (!outer || outer.getRange().start.line === line) {
    const keyword = /^(\s*)([A-Za-z]*)$/.exec(textBefore);
    if (keyword && (!outer || !before(outer.getInstructionRange().end, position))) {
      const wordEnd = position.character + (/^[A-Za-z]*/.exec(textAfter)?.[0].length ?? 0);
      const hasArguments = lineText.slice(wordEnd).trim() !== '';
      return instructionItems(ctx, keyword[1]!.length, wordEnd, hasArguments, false);
    }
  }
  if (!outer) return [];

  let instruction: Instruction = outer;
  if (outer instanceof Onbuild) {
    const trigger = /^(\s*onbuild\s+)([A-Za-z]*)$/i.exec(textBefore);
    if (trigger && outer.getRange().start.line === line) {
      const wordEnd = position.character + (/^[A-Za-z]*/.exec(textAfter)?.[0].length ?? 0);
      const hasArguments = lineText.slice(wordEnd).trim() !== '';
      return instructionItems(ctx, trigger[1]!.length, wordEnd, hasArguments, true);
    }
    const triggerInstruction = outer.getTriggerInstruction();
    if (!triggerInstruction) return [];
    instruction = triggerInstruction;
  }

  if (variable) return isExecForm(instruction) ? [] : variableItems(ctx, outer, variable, textAfter);

  const word = /\S*$/.exec(textBefore)![0];
  const wordStart: Position = { line, character: position.character - word.length };
  const keyword = instruction.getKeyword();
  const args: Argument[] = instruction.getArguments();
  const argIndex = args.filter((a) => before(a.getRange().start, wordStart)).length;
  const inFlagArea = instruction instanceof ModifiableInstruction && argIndex === 0;
  const items: CompletionItem[] = [];

  if (inFlagArea && (word === '' || word.startsWith('-'))) {
    const value = /^--([a-z-]+)=(.*)$/i.exec(word);
    if (value) return flagValueItems(ctx, keyword, value[1]!.toLowerCase(), value[2]!, instruction);
    items.push(...flagItems(ctx, keyword, instruction as ModifiableInstruction, wordStart));
    if (word !== '') return items;
  }

  if (keyword === 'FROM') {
    if (argIndex === 0) items.push(...stageItems(ctx, wordStart, outer.getRange().start.line, true, false));
    else if (argIndex === 1 && /^[a-z]*$/i.test(word)) {
      items.push(
        ctx.item('AS', CompletionItemKind.Keyword, {
          detail: localize(TEXT.as, ctx.lang),
          start: wordStart,
          plain: 'AS ',
        }),
      );
    }
  } else if (keyword === 'HEALTHCHECK' && argIndex === 0 && /^[a-z]*$/i.test(word)) {
    items.push(
      ctx.item('CMD', CompletionItemKind.Keyword, {
        detail: localize(TEXT.healthcheckCmd, ctx.lang),
        start: wordStart,
        snippet: 'CMD ${1:command}',
      }),
      ctx.item('NONE', CompletionItemKind.Keyword, {
        detail: localize(TEXT.healthcheckNone, ctx.lang),
        start: wordStart,
      }),
    );
  } else if (keyword === 'ARG' && argIndex === 0 && /^[A-Za-z0-9_]*$/.test(word)) {
    items.push(...argNameItems(ctx, outer, wordStart));
  }
  return items;
}

/** What every item builder needs. */
class Context {
  readonly lang: Lang;
  constructor(
    readonly model: DockerfileModel,
    readonly docs: DocsLibrary,
    readonly position: Position,
    readonly options: CompletionOptions,
  ) {
    this.lang = options.lang;
  }

  documentation(topic: string): MarkupContent | undefined {
    const markdown = this.docs.get(this.lang, topic);
    if (!markdown) return undefined;
    return this.options.markdown
      ? { kind: MarkupKind.Markdown, value: markdown }
      : { kind: MarkupKind.PlainText, value: renderMarkdown(markdown) };
  }

  item(
    label: string,
    kind: CompletionItemKind,
    spec: {
      start: Position;
      end?: Position;
      detail?: string;
      snippet?: string;
      plain?: string;
      topic?: string;
      documentation?: string;
      retrigger?: boolean;
    },
  ): CompletionItem {
    const item: CompletionItem = { label, kind };
    if (spec.detail) item.detail = spec.detail;
    const range: Range = { start: spec.start, end: spec.end ?? this.position };
    if (spec.snippet !== undefined && this.options.snippets) {
      item.insertTextFormat = InsertTextFormat.Snippet;
      item.textEdit = { range, newText: spec.snippet };
    } else {
      item.insertTextFormat = InsertTextFormat.PlainText;
      item.textEdit = { range, newText: spec.plain ?? label };
    }
    const documentation = spec.topic ? this.documentation(spec.topic) : undefined;
    if (documentation) item.documentation = documentation;
    else if (spec.documentation) item.documentation = spec.documentation;
    if (spec.retrigger && this.options.triggerSuggest) item.command = TRIGGER_SUGGEST;
    return item;
  }
}

function instructionItems(
  ctx: Context,
  startCharacter: number,
  endCharacter: number,
  hasArguments: boolean,
  trigger: boolean,
): CompletionItem[] {
  const line = ctx.position.line;
  const start = { line, character: startCharacter };
  const end = { line, character: Math.max(endCharacter, ctx.position.character) };
  return INSTRUCTIONS.filter((spec) => !trigger || !NOT_TRIGGERS.has(spec.keyword)).map((spec) => {
    const item = ctx.item(spec.keyword, CompletionItemKind.Keyword, {
      start,
      end,
      detail: localize(spec.detail, ctx.lang),
      // With arguments already on the line, only the keyword is replaced.
      snippet: hasArguments ? spec.keyword : spec.snippet,
      plain: hasArguments ? spec.keyword : `${spec.keyword} `,
      topic: `instructions/${spec.keyword}`,
    });
    if (spec.deprecated) {
      item.tags = [CompletionItemTag.Deprecated];
      item.sortText = 'z' + spec.keyword;
    }
    return item;
  });
}

function flagItems(
  ctx: Context,
  keyword: string,
  instruction: ModifiableInstruction,
  start: Position,
): CompletionItem[] {
  const specs = FLAGS[keyword] ?? [];
  const present = new Set(instruction.getFlags().map((f) => f.getName().toLowerCase()));
  return specs
    .filter((spec) => spec.repeatable || !present.has(spec.name))
    .map((spec) => {
      const label = `--${spec.name}${spec.snippet === '' ? '' : '='}`;
      return ctx.item(label, CompletionItemKind.Property, {
        start,
        snippet: `--${spec.name}${spec.snippet}`,
        plain: label,
        topic: `flags/${keyword.toLowerCase()}-${spec.name}`,
        retrigger: spec.values === true,
      });
    });
}

function flagValueItems(
  ctx: Context,
  keyword: string,
  flag: string,
  value: string,
  instruction: Instruction,
): CompletionItem[] {
  const start = { line: ctx.position.line, character: ctx.position.character - value.length };
  const simple = (values: readonly (readonly [string, Localized | undefined])[]) =>
    values.map(([v, detail]) =>
      ctx.item(v, CompletionItemKind.EnumMember, { start, ...(detail ? { detail: localize(detail, ctx.lang) } : {}) }),
    );
  // Only the stages before the current one can be copied or mounted from.
  const outer = ctx.model.instructionAtLine(ctx.position.line);
  const stage = outer ? ctx.model.stageOf(outer) : undefined;
  const fromLine = stage ? stage.from.getRange().start.line : instruction.getRange().start.line;
  if (keyword === 'COPY' && flag === 'from') return stageItems(ctx, start, fromLine, false, true);
  if (keyword === 'FROM' && flag === 'platform') return simple(PLATFORMS.map((p) => [p, TEXT.platform] as const));
  if (keyword === 'RUN' && flag === 'network') {
    return simple([
      ['default', TEXT.network.default],
      ['none', TEXT.network.none],
      ['host', TEXT.network.host],
    ]);
  }
  if (keyword === 'RUN' && flag === 'security') {
    return simple([
      ['sandbox', TEXT.security.sandbox],
      ['insecure', TEXT.security.insecure],
    ]);
  }
  if (keyword === 'RUN' && flag === 'mount') return mountItems(ctx, value, fromLine);
  return [];
}

function mountItems(ctx: Context, value: string, line: number): CompletionItem[] {
  const segments = value.split(',');
  const current = segments[segments.length - 1]!;
  const previous = segments.slice(0, -1).map((s) => {
    const eq = s.indexOf('=');
    const key = (eq < 0 ? s : s.slice(0, eq)).toLowerCase();
    return { key: MOUNT_KEY_ALIASES[key] ?? key, value: eq < 0 ? '' : s.slice(eq + 1) };
  });
  const type = previous.find((p) => p.key === 'type')?.value.toLowerCase() ?? 'bind';
  const eq = current.indexOf('=');
  if (eq >= 0) {
    const rawKey = current.slice(0, eq).toLowerCase();
    const key = MOUNT_KEY_ALIASES[rawKey] ?? rawKey;
    const typed = current.slice(eq + 1);
    const start = { line: ctx.position.line, character: ctx.position.character - typed.length };
    if (key === 'from') return stageItems(ctx, start, line, false, false);
    const spec = MOUNT_KEYS[key];
    const values = spec?.values ?? (spec?.flag ? ['true', 'false'] : []);
    return values.map((v) => ctx.item(v, CompletionItemKind.EnumMember, { start }));
  }
  const start = { line: ctx.position.line, character: ctx.position.character - current.length };
  const used = new Set(previous.map((p) => p.key));
  const keys = ['type', ...(MOUNT_KEYS_BY_TYPE[type] ?? MOUNT_KEYS_BY_TYPE['bind']!)];
  return keys
    .filter((k) => !used.has(k))
    .map((k) => {
      const spec = MOUNT_KEYS[k]!;
      const insert = spec.flag ? k : `${k}=`;
      return ctx.item(insert, CompletionItemKind.Property, {
        start,
        detail: localize(spec.detail, ctx.lang),
        plain: insert,
        retrigger: spec.values !== undefined || k === 'from',
      });
    });
}

/** Stages defined before `line`: by name (and by index for unnamed ones with `byIndex`). */
function stageItems(ctx: Context, start: Position, line: number, scratch: boolean, byIndex: boolean): CompletionItem[] {
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const stage of ctx.model.stages) {
    if (stage.from.getRange().start.line >= line) break;
    const label = stage.from.getBuildStage() ?? (byIndex ? String(stage.index) : undefined);
    if (label === undefined || seen.has(label.toLowerCase())) continue;
    seen.add(label.toLowerCase());
    items.push(
      ctx.item(label, CompletionItemKind.Reference, {
        start,
        detail: localize(TEXT.stage, ctx.lang, stage.index, stage.from.getRange().start.line + 1),
        documentation: fromLine(ctx, stage),
      }),
    );
  }
  if (scratch) {
    items.push(
      ctx.item('scratch', CompletionItemKind.Module, {
        start,
        detail: localize(TEXT.scratch, ctx.lang),
        topic: 'topics/scratch',
      }),
    );
  }
  return items;
}

function fromLine(ctx: Context, stage: Stage): string {
  return ctx.model.document.getText(stage.from.getRange());
}

function directiveItems(ctx: Context, textBefore: string): CompletionItem[] {
  const { model } = ctx;
  const line = ctx.position.line;
  const first = model.instructions[0];
  if (first && first.getRange().start.line <= line) return [];
  const directives = model.directives;
  const directiveLines = new Set(directives.map((d) => d.getRange().start.line));
  for (let l = 0; l < line; l++) if (!directiveLines.has(l)) return [];
  const name = /^\s*#\s*([A-Za-z]*)$/.exec(textBefore);
  if (name) {
    const present = new Set(
      directives.filter((d) => d.getRange().start.line !== line).map((d) => d.getName().toLowerCase()),
    );
    const start = { line, character: ctx.position.character - name[1]!.length };
    return DIRECTIVES.filter((d) => !present.has(d.name)).map((d) =>
      ctx.item(`${d.name}=`, CompletionItemKind.Keyword, {
        start,
        snippet: d.snippet,
        plain: `${d.name}=`,
        topic: `directives/${d.name}`,
      }),
    );
  }
  const value = /^\s*#\s*([A-Za-z]+)\s*=\s*(\S*)$/.exec(textBefore);
  if (!value) return [];
  const directive = DIRECTIVES.find((d) => d.name === value[1]!.toLowerCase());
  if (!directive) return [];
  const start = { line, character: ctx.position.character - value[2]!.length };
  return directive.values.map((v) =>
    ctx.item(v, CompletionItemKind.Value, { start, topic: `directives/${directive.name}` }),
  );
}

interface VariableContext {
  /** Where the name starts (after `$` or `${`). */
  readonly nameStart: number;
  readonly braced: boolean;
}

function variableContext(model: DockerfileModel, textBefore: string): VariableContext | undefined {
  const m = /\$(\{?)([A-Za-z_][A-Za-z0-9_]*)?$/.exec(textBefore);
  if (!m) return undefined;
  const dollar = m.index;
  if (dollar > 0 && textBefore[dollar - 1] === model.escape) return undefined;
  return { nameStart: dollar + 1 + m[1]!.length, braced: m[1] === '{' };
}

function inHeredocBody(instruction: Instruction, line: number): boolean {
  for (const heredoc of heredocsOf(instruction)) {
    const body = heredoc.getContentRange();
    if (body && body.start.line <= line && line <= body.end.line) return true;
  }
  return false;
}

interface InScope {
  readonly name: string;
  readonly def: VariableDefinition | undefined;
}

/**
 * The variables usable at a line, as Docker scopes them: in FROM lines the global ARGs and the
 * automatic platform ARGs; in a stage its own ARG/ENV defined above and the ENV of its parent stage;
 * in CMD/ENTRYPOINT/HEALTHCHECK only ENV (ARG does not exist when the container runs).
 */
export function variablesInScope(model: DockerfileModel, instruction: Instruction, line: number): InScope[] {
  const keyword = instruction.getKeyword();
  const stage = model.stageOf(instruction);
  const found = new Map<string, InScope>();
  const defs = model.definitions();
  const add = (def: VariableDefinition) => {
    if (!found.has(def.name)) found.set(def.name, { name: def.name, def });
  };
  if (keyword === 'FROM' || !stage) {
    for (const def of defs) if (def.stage === -1 && def.instruction.getRange().start.line < line) add(def);
    if (keyword === 'FROM')
      for (const name of AUTOMATIC_ARGS) if (!found.has(name)) found.set(name, { name, def: undefined });
    return [...found.values()];
  }
  const runtime = RUNTIME.has(keyword);
  const byStage = new Map<number, VariableDefinition[]>();
  for (const def of defs) {
    const list = byStage.get(def.stage) ?? [];
    list.push(def);
    byStage.set(def.stage, list);
  }
  const own = (byStage.get(stage.index) ?? []).filter(
    (d) => d.instruction.getRange().start.line < line && (!runtime || d.kind === 'ENV'),
  );
  // The latest definition of each name wins.
  for (let i = own.length - 1; i >= 0; i--) add(own[i]!);
  const visited = new Set<number>();
  for (
    let parent = parentStage(model, stage);
    parent && !visited.has(parent.index);
    parent = parentStage(model, parent)
  ) {
    visited.add(parent.index);
    const inherited = (byStage.get(parent.index) ?? []).filter((d) => d.kind === 'ENV');
    for (let i = inherited.length - 1; i >= 0; i--) add(inherited[i]!);
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function parentStage(model: DockerfileModel, stage: Stage): Stage | undefined {
  const image = stage.from.getImage();
  if (!image || image.includes('$')) return undefined;
  const parent = model.findStage(image, stage.from.getRange().start.line);
  return parent && parent.index < stage.index ? parent : undefined;
}

function variableItems(
  ctx: Context,
  instruction: Instruction,
  variable: VariableContext,
  textAfter: string,
): CompletionItem[] {
  const line = instruction.getRange().start.line;
  const start = { line: ctx.position.line, character: variable.nameStart };
  const rest = /^[A-Za-z0-9_]*/.exec(textAfter)![0];
  const close = variable.braced && textAfter[rest.length] !== '}' ? '}' : '';
  return variablesInScope(ctx.model, instruction, line).map(({ name, def }) => {
    let detail: string;
    let documentation: string | undefined;
    if (!def) detail = localize(TEXT.automaticArg, ctx.lang);
    else {
      const resolved = ctx.model.resolveVariable(name, line);
      const value = resolved?.value ?? def.raw;
      detail =
        value === undefined
          ? localize(TEXT.variableNoValue, ctx.lang, def.kind)
          : localize(TEXT.variableValue, ctx.lang, def.kind, value);
      documentation = localize(TEXT.variableDefined, ctx.lang, def.instruction.getRange().start.line + 1);
    }
    return ctx.item(name, CompletionItemKind.Variable, {
      start,
      detail,
      plain: name + close,
      ...(documentation ? { documentation } : {}),
    });
  });
}

/** `ARG |` in a stage: the global ARGs not yet declared in it, and the automatic platform ARGs. */
function argNameItems(ctx: Context, instruction: Instruction, start: Position): CompletionItem[] {
  const { model } = ctx;
  const stage = model.stageOf(instruction);
  if (!stage) return [];
  const declared = new Set(
    model
      .definitions()
      .filter((d) => d.stage === stage.index && d.instruction !== instruction)
      .map((d) => d.name),
  );
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const def of model.definitions()) {
    if (def.stage !== -1 || declared.has(def.name) || seen.has(def.name)) continue;
    seen.add(def.name);
    items.push(
      ctx.item(def.name, CompletionItemKind.Variable, {
        start,
        detail: localize(TEXT.globalArg, ctx.lang, def.instruction.getRange().start.line + 1),
      }),
    );
  }
  for (const name of AUTOMATIC_ARGS) {
    if (declared.has(name) || seen.has(name)) continue;
    items.push(ctx.item(name, CompletionItemKind.Variable, { start, detail: localize(TEXT.automaticArg, ctx.lang) }));
  }
  return items;
}
