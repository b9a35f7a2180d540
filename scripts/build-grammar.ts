// Generates syntaxes/dockerfile.tmLanguage.json (scope source.dockerfile).
//
//   node --import tsx scripts/build-grammar.ts          write the grammar
//   node --import tsx scripts/build-grammar.ts --check  exit 1 when the committed file is stale
//
// The grammar is generated because most rules exist twice: once for the default escape character
// (backslash) and once for files that start with the `# escape=\`` parser directive (backtick).
//
// How the grammar keeps every construct inside its instruction (what VS Code's built-in grammar lacks):
// - An instruction is a begin/while rule whose `while` is `\G`. vscode-textmate lets `\G` match at the
//   start of a line only when the rule on top of the stack consumed the previous line's end, so the
//   instruction goes on exactly when the previous line ended in a marker that consumed its newline:
//   the line continuation (`\` or `` ` `` + newline), a comment line or an empty line inside the
//   continuation (Docker skips both), or a heredoc body line. Otherwise the `while` fails at the next
//   line and vscode-textmate pops the instruction together with everything above it: an unterminated
//   quote, an open shell construct, a half-written `${`.
// - Those markers are injections (priority L:) scoped to `meta.instruction`, so they apply even inside
//   strings and embedded shell rules.
// - Heredocs: an injection matches `<<EOF` (up to three per line) and consumes the rest of the line
//   with its newline. Body lines are consumed whole (newline included) and re-tokenized as shell or,
//   after a python shebang, as Python; a `while` with back-references ends the body at the terminator.
// - `# escape=\`` is only honoured in the leading block of parser directives; from there a region runs
//   to the end of the file with the backtick variants of all rules.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface Capture {
  name?: string;
  patterns?: Rule[];
}

export type Captures = Record<string, Capture>;

export interface Rule {
  comment?: string;
  name?: string;
  contentName?: string;
  include?: string;
  match?: string;
  begin?: string;
  end?: string;
  while?: string;
  captures?: Captures;
  beginCaptures?: Captures;
  endCaptures?: Captures;
  whileCaptures?: Captures;
  patterns?: Rule[];
}

export interface Grammar {
  $schema?: string;
  name: string;
  scopeName: string;
  fileTypes: string[];
  patterns: Rule[];
  injections: Record<string, { patterns: Rule[] }>;
  repository: Record<string, Rule>;
}

type Escape = 'bs' | 'bt';

const S = {
  keyword: 'keyword.other.special-method.dockerfile',
  comment: 'comment.line.number-sign.dockerfile',
  commentPunct: 'punctuation.definition.comment.dockerfile',
  continuation: 'constant.character.escape.line-continuation.dockerfile',
  escape: 'constant.character.escape.dockerfile',
  flag: 'variable.parameter.flag.dockerfile',
  flagPunct: 'punctuation.definition.flag.dockerfile',
  attribute: 'entity.other.attribute-name.dockerfile',
  assign: 'keyword.operator.assignment.dockerfile',
  stage: 'entity.name.type.stage.dockerfile',
  image: 'support.type.image.dockerfile',
  variable: 'variable.other.dockerfile',
  unquoted: 'string.unquoted.dockerfile',
  shell: 'meta.embedded.block.shell.dockerfile',
  python: 'meta.embedded.block.python.dockerfile',
  heredocToken: 'keyword.control.heredoc-token.dockerfile',
  heredocOperator: 'keyword.operator.heredoc.dockerfile',
} as const;

/** The escape character as a regular expression, and as it is written inside a character class. */
function escapeChar(e: Escape): { re: string; cls: string } {
  return e === 'bs' ? { re: String.raw`\\`, cls: String.raw`\\` } : { re: '`', cls: '`' };
}

const cap = (name: string): Capture => ({ name });
const inc = (key: string): Rule => ({ include: `#${key}` });

/** A directive line (only the three directives BuildKit knows keep the directive block going). */
const DIRECTIVE = String.raw`[ \t]*#[ \t]*(?i:syntax|escape|check)[ \t]*=[ \t]*\S`;

/** Heredoc delimiter word, as BuildKit finds it: `<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`. */
const HEREDOC_NAME = String.raw`[^\s<>"'();&|\\]+`;

function instruction(e: Escape, keyword: string, id: string, patterns: Rule[]): Rule {
  const { re } = escapeChar(e);
  return {
    name: `meta.instruction.${id}.dockerfile`,
    begin: String.raw`^[ \t]*(?:((?i:ONBUILD))[ \t]+)?((?i:${keyword}))(?=[ \t]|$|${re})`,
    beginCaptures: { '1': cap(S.keyword), '2': cap(S.keyword) },
    while: String.raw`\G`,
    patterns,
  };
}

function variantRepository(e: Escape): Record<string, Rule> {
  const { re, cls } = escapeChar(e);
  const k = (key: string): string => `${key}-${e}`;
  const r = (key: string): Rule => inc(k(key));
  const value = (scope: string): Rule => ({ match: String.raw`[^ \t"'$${cls}]+`, name: scope });

  const repo: Record<string, Rule> = {};

  repo[k('main')] = {
    patterns: [
      inc('comment'),
      r('instruction-from'),
      r('instruction-run'),
      r('instruction-cmd'),
      r('instruction-entrypoint'),
      r('instruction-copy'),
      r('instruction-add'),
      r('instruction-env'),
      r('instruction-arg'),
      r('instruction-label'),
      r('instruction-expose'),
      r('instruction-user'),
      r('instruction-workdir'),
      r('instruction-volume'),
      r('instruction-shell'),
      r('instruction-stopsignal'),
      r('instruction-healthcheck'),
      r('instruction-maintainer'),
      r('instruction-onbuild'),
    ],
  };

  repo[k('escape')] = { match: `${re}.`, name: S.escape };

  repo[k('string-double')] = {
    name: 'string.quoted.double.dockerfile',
    begin: '"',
    beginCaptures: { '0': cap('punctuation.definition.string.begin.dockerfile') },
    end: '"',
    endCaptures: { '0': cap('punctuation.definition.string.end.dockerfile') },
    patterns: [r('escape'), inc('variables')],
  };
  repo[k('string-single')] = {
    name: 'string.quoted.single.dockerfile',
    begin: "'",
    beginCaptures: { '0': cap('punctuation.definition.string.begin.dockerfile') },
    end: "'",
    endCaptures: { '0': cap('punctuation.definition.string.end.dockerfile') },
  };
  repo[k('strings')] = { patterns: [r('string-double'), r('string-single')] };

  repo[k('args')] = { patterns: [inc('variables'), r('strings'), r('escape')] };

  repo[k('flags')] = {
    patterns: [
      {
        comment: '--from=<stage name>',
        match: String.raw`(?<![^ \t])((--)(?i:from))(=)([A-Za-z0-9_][A-Za-z0-9_.-]*)(?=[ \t]|$)`,
        captures: { '1': cap(S.flag), '2': cap(S.flagPunct), '3': cap(S.assign), '4': cap(S.stage) },
      },
      {
        name: 'meta.flag.dockerfile',
        begin: String.raw`(?<![^ \t])((--)[A-Za-z][A-Za-z0-9-]*)(=)?`,
        beginCaptures: { '1': cap(S.flag), '2': cap(S.flagPunct), '3': cap(S.assign) },
        end: String.raw`(?=[ \t]|$)`,
        patterns: [
          {
            match: String.raw`([A-Za-z][A-Za-z0-9_-]*)(=)`,
            captures: { '1': cap(S.attribute), '2': cap(S.assign) },
          },
          { match: ',', name: 'punctuation.separator.comma.dockerfile' },
          inc('variables'),
          r('strings'),
          r('escape'),
          { match: String.raw`[^ \t,=$"'${cls}]+`, name: S.unquoted },
        ],
      },
    ],
  };

  repo[k('exec-form')] = {
    comment:
      'exec form: the arguments are a JSON array of strings (else Docker runs them as shell form); ' +
      'JSON escapes are always backslashes',
    name: 'meta.structure.array.exec-form.dockerfile',
    begin: String.raw`(\[)(?=[ \t]*(?:"(?:[^"\\]|\\.)*"[ \t]*,?[ \t]*)*(?:\][ \t]*$|${re}[ \t]*$))`,
    beginCaptures: { '1': cap('punctuation.definition.array.begin.dockerfile') },
    end: String.raw`\]`,
    endCaptures: { '0': cap('punctuation.definition.array.end.dockerfile') },
    patterns: [
      {
        name: 'string.quoted.double.dockerfile',
        begin: '"',
        beginCaptures: { '0': cap('punctuation.definition.string.begin.dockerfile') },
        end: '"',
        endCaptures: { '0': cap('punctuation.definition.string.end.dockerfile') },
        patterns: [{ match: String.raw`\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})`, name: S.escape }],
      },
      { match: ',', name: 'punctuation.separator.array.dockerfile' },
    ],
  };

  repo[k('shell-body')] = {
    comment: 'shell form: everything up to the end of the instruction is shell',
    begin: String.raw`(?=[^ \t\n])`,
    while: String.raw`\G`,
    contentName: S.shell,
    patterns: [inc('shell-first-statement'), { include: 'source.shell' }],
  };

  const keyValue = (keyScope: string): Rule => ({
    begin: String.raw`(?<![^ \t])([A-Za-z_][A-Za-z0-9_.-]*)(=)`,
    beginCaptures: { '1': cap(keyScope), '2': cap(S.assign) },
    end: String.raw`(?=[ \t]|$)`,
    patterns: [r('strings'), inc('variables'), r('escape'), value(S.unquoted)],
  });

  repo[k('instruction-from')] = instruction(e, 'FROM', 'from', [
    r('flags'),
    {
      match: String.raw`(?<![^ \t])((?i:AS))[ \t]+([^ \t\n${cls}]+)`,
      captures: { '1': cap(S.keyword), '2': cap(S.stage) },
    },
    {
      match: String.raw`(?<![^ \t])(scratch)(?=[ \t]|$)`,
      captures: { '1': cap('constant.language.scratch.dockerfile') },
    },
    {
      name: 'meta.image-reference.dockerfile',
      begin: String.raw`(?<![^ \t])(?=[^ \t\n#-])`,
      end: String.raw`(?=[ \t]|$)`,
      patterns: [
        inc('variables'),
        r('strings'),
        {
          match: String.raw`(@)([A-Za-z0-9+._-]+:[0-9A-Fa-f]+)`,
          captures: {
            '1': cap('punctuation.separator.digest.dockerfile'),
            '2': cap('constant.other.digest.dockerfile'),
          },
        },
        { match: '@', name: 'punctuation.separator.digest.dockerfile' },
        {
          begin: String.raw`(:)(?=[^/ \t\n@]*(?:@|[ \t]|$))`,
          beginCaptures: { '1': cap('punctuation.separator.tag.dockerfile') },
          end: String.raw`(?=[@ \t]|$)`,
          contentName: 'constant.other.tag.dockerfile',
          patterns: [inc('variables'), r('strings')],
        },
        { match: String.raw`(?:[^ \t\n@:$"'${cls}]|:(?![^/ \t\n@]*(?:@|[ \t]|$)))+`, name: S.image },
      ],
    },
    r('args'),
  ]);

  repo[k('instruction-run')] = instruction(e, 'RUN', 'run', [r('flags'), r('exec-form'), r('shell-body')]);
  repo[k('instruction-cmd')] = instruction(e, 'CMD', 'cmd', [r('exec-form'), r('shell-body')]);
  repo[k('instruction-entrypoint')] = instruction(e, 'ENTRYPOINT', 'entrypoint', [r('exec-form'), r('shell-body')]);
  repo[k('instruction-copy')] = instruction(e, 'COPY', 'copy', [r('flags'), r('exec-form'), r('args')]);
  repo[k('instruction-add')] = instruction(e, 'ADD', 'add', [r('flags'), r('exec-form'), r('args')]);

  repo[k('instruction-env')] = instruction(e, 'ENV', 'env', [
    {
      comment: 'legacy form: ENV key value',
      begin: String.raw`\G[ \t]+([A-Za-z_][A-Za-z0-9_.-]*)(?=[ \t]+[^ \t\n])`,
      beginCaptures: { '1': cap(S.variable) },
      while: String.raw`\G`,
      contentName: S.unquoted,
      patterns: [r('strings'), inc('variables'), r('escape')],
    },
    keyValue(S.variable),
    r('args'),
  ]);
  repo[k('instruction-arg')] = instruction(e, 'ARG', 'arg', [
    keyValue(S.variable),
    { match: String.raw`(?<![^ \t])([A-Za-z_][A-Za-z0-9_]*)(?=[ \t]|$)`, captures: { '1': cap(S.variable) } },
    r('args'),
  ]);
  repo[k('instruction-label')] = instruction(e, 'LABEL', 'label', [
    keyValue('entity.other.attribute-name.label.dockerfile'),
    r('args'),
  ]);
  repo[k('instruction-expose')] = instruction(e, 'EXPOSE', 'expose', [
    {
      match: String.raw`(?<![^ \t])(\d+)(?:(-)(\d+))?(?:(/)([A-Za-z]+))?(?=[ \t]|$)`,
      captures: {
        '1': cap('constant.numeric.port.dockerfile'),
        '2': cap('punctuation.separator.range.dockerfile'),
        '3': cap('constant.numeric.port.dockerfile'),
        '4': cap('punctuation.separator.protocol.dockerfile'),
        '5': cap('constant.language.protocol.dockerfile'),
      },
    },
    r('args'),
  ]);
  repo[k('instruction-user')] = instruction(e, 'USER', 'user', [r('args')]);
  repo[k('instruction-workdir')] = instruction(e, 'WORKDIR', 'workdir', [r('args')]);
  repo[k('instruction-volume')] = instruction(e, 'VOLUME', 'volume', [r('exec-form'), r('args')]);
  repo[k('instruction-shell')] = instruction(e, 'SHELL', 'shell', [r('exec-form'), r('args')]);
  repo[k('instruction-stopsignal')] = instruction(e, 'STOPSIGNAL', 'stopsignal', [
    {
      match: String.raw`(?<![^ \t])(?:((?i:SIG)[A-Za-z0-9+-]+)|(\d+))(?=[ \t]|$)`,
      captures: { '1': cap('constant.language.signal.dockerfile'), '2': cap('constant.numeric.signal.dockerfile') },
    },
    r('args'),
  ]);
  repo[k('instruction-healthcheck')] = instruction(e, 'HEALTHCHECK', 'healthcheck', [
    r('flags'),
    {
      match: String.raw`(?<![^ \t])((?i:NONE))(?=[ \t]|$)`,
      captures: { '1': cap('constant.language.none.dockerfile') },
    },
    {
      begin: String.raw`(?<![^ \t])((?i:CMD))(?=[ \t]|$|${re})`,
      beginCaptures: { '1': cap(S.keyword) },
      while: String.raw`\G`,
      patterns: [r('exec-form'), r('shell-body')],
    },
    r('args'),
  ]);
  repo[k('instruction-maintainer')] = instruction(e, 'MAINTAINER', 'maintainer', [r('args')]);
  repo[k('instruction-onbuild')] = {
    comment: 'ONBUILD followed by something that is not an instruction this grammar knows',
    name: 'meta.instruction.onbuild.dockerfile',
    begin: String.raw`^[ \t]*((?i:ONBUILD))(?=[ \t]|$|${re})`,
    beginCaptures: { '1': cap(S.keyword) },
    while: String.raw`\G`,
    patterns: [r('args')],
  };

  repo[k('continuation')] = {
    comment: 'inside an instruction: the line continuation, and the comment and empty lines Docker skips',
    patterns: [
      {
        begin: String.raw`^[ \t]*((#).*)(\n)`,
        beginCaptures: { '1': cap(S.comment), '2': cap(S.commentPunct) },
        while: '(?!)',
      },
      { begin: String.raw`^[ \t]*\n`, while: '(?!)' },
      {
        comment: 'a line that is only the escape character: taken whole, before the shell starts a command on it',
        begin: String.raw`^[ \t]*(${re})[ \t]*(\n)`,
        beginCaptures: { '1': cap(S.continuation) },
        while: '(?!)',
      },
      {
        comment: 'the continuation; a run of escape characters is taken whole (the shell would pair them up)',
        begin: String.raw`(${re}+)[ \t]*(\n)`,
        beginCaptures: { '1': cap(S.continuation) },
        while: '(?!)',
      },
    ],
  };

  return repo;
}

/**
 * A heredoc start with `count` delimiters on the line. `rest` are the patterns for the text between and
 * after the delimiters (shell for RUN, arguments for COPY/ADD).
 */
/** Shell keywords that the shell grammar's own statement rule leaves to its keyword rules. */
const SHELL_KEYWORDS =
  'if|then|elif|else|fi|for|in|do|done|while|until|case|esac|select|function|time|coproc|repeat|foreach|end';

/**
 * The shell grammar starts a statement only at the start of a line or after an operator; in `RUN cmd` the
 * command follows `RUN `, so the first statement of a shell form is started here (`anchor`: where it may start).
 */
function firstStatement(anchor: string): Rule {
  return {
    begin: String.raw`${anchor}(?![\s#&;|)}\]\x60{])(?!(?:${SHELL_KEYWORDS})(?:[^\w-]|$))`,
    end: String.raw`(?=[\n&);\x60{|}]|[\t ]*#|])(?<!\\)`,
    name: 'meta.statement.shell',
    patterns: [{ include: 'source.shell#typical_statements' }],
  };
}

const backref = (group: number): string => '\\' + String(group);

function heredoc(count: number, rest: Capture): Rule {
  // Groups per delimiter: fd, operator (<<-?), dash, open quote, name, close quote; then the text after it.
  const per = 7;
  let re = '';
  const beginCaptures: Captures = {};
  for (let i = 0; i < count; i++) {
    const base = i * per;
    const last = i === count - 1;
    re +=
      String.raw`(?<![^ \t])(\d*)(<<(-?))(["']?)(${HEREDOC_NAME})` +
      `(${backref(base + 4)})` +
      (last ? String.raw`([^\n]*)` : String.raw`([^\n]*?)`);
    beginCaptures[String(base + 1)] = cap('constant.numeric.file-descriptor.dockerfile');
    beginCaptures[String(base + 2)] = cap(S.heredocOperator);
    beginCaptures[String(base + 4)] = cap('punctuation.definition.string.begin.dockerfile');
    beginCaptures[String(base + 5)] = cap(S.heredocToken);
    beginCaptures[String(base + 6)] = cap('punctuation.definition.string.end.dockerfile');
    beginCaptures[String(base + 7)] = rest;
  }
  const terminator = (i: number): string => String.raw`(?:\t(?!${backref(i * per + 3)}))*` + backref(i * per + 5);
  const lastIndex = count - 1;
  const intermediate: string[] = [];
  const whileCaptures: Captures = {};
  for (let i = 0; i < lastIndex; i++) {
    intermediate.push(String.raw`(${terminator(i)})$`);
    whileCaptures[String(i + 1)] = cap(S.heredocToken);
  }
  const body: Rule = {
    comment: 'consumes the rest of the line with its newline, so the instruction goes on (see the header)',
    begin: re + String.raw`(\n)`,
    beginCaptures,
    while: String.raw`^(?!${terminator(lastIndex)}$)` + (intermediate.length ? `(?:${intermediate.join('|')})?` : ''),
    patterns: [inc('heredoc-python'), inc('heredoc-shell')],
  };
  if (intermediate.length) body.whileCaptures = whileCaptures;
  return {
    name: 'meta.heredoc.dockerfile',
    begin: `(?=${re})`,
    end: String.raw`^${terminator(lastIndex).replace(/\\\d+$/, (m) => `(${m})`)}$`,
    endCaptures: { '1': cap(S.heredocToken) },
    patterns: [body],
  };
}

export function buildGrammar(): Grammar {
  const shellRest: Capture = {
    name: S.shell,
    patterns: [inc('shell-first-statement-inline'), { include: 'source.shell' }],
  };
  const argsRest: Capture = { patterns: [inc('args-bs')] };
  const heredocs = (rest: Capture): Rule[] => [heredoc(3, rest), heredoc(2, rest), heredoc(1, rest)];

  // vscode-textmate runs one extra scanner per matching injection key at every step, so the keys are
  // disjoint: in any scope stack at most one of them applies. Heredocs do not start inside strings and
  // comments; the line continuation and the skipped lines apply everywhere in an instruction.
  const injections: Grammar['injections'] = {};
  for (const e of ['bs', 'bt'] as const) {
    const within = (scope: string): string =>
      e === 'bs'
        ? `L:${scope} - meta.escape.backtick - meta.heredoc`
        : `L:meta.escape.backtick ${scope} - meta.heredoc`;
    const continuation = inc(`continuation-${e}`);
    injections[within('meta.instruction.run') + ' - string - comment'] = {
      patterns: [continuation, ...(e === 'bs' ? [inc('shell-word-before-continuation')] : []), ...heredocs(shellRest)],
    };
    injections[
      [
        within('meta.instruction.copy') + ' - string - comment',
        within('meta.instruction.add') + ' - string - comment',
      ].join(', ')
    ] = { patterns: [continuation, ...heredocs(argsRest)] };
    injections[
      [
        within('meta.instruction') + ' - meta.instruction.run - meta.instruction.copy - meta.instruction.add',
        within('meta.instruction string'),
        within('meta.instruction comment') + ' - string',
      ].join(', ')
    ] = { patterns: [continuation] };
  }
  // The shell grammar's arithmetic operators include a bare `^`, a zero-width match at the start of a line:
  // vscode-textmate then gives up on the line, continuation and all (PowerShell's `if ((...)) {` in Windows
  // images opens such an arithmetic scope). Indentation is consumed first so the `^` never gets its chance.
  injections['L:meta.instruction meta.arithmetic.shell - meta.heredoc'] = {
    patterns: [{ match: String.raw`^[ \t]+` }],
  };

  const repository: Record<string, Rule> = {
    comment: {
      match: String.raw`^[ \t]*((#).*)$`,
      captures: { '1': cap(S.comment), '2': cap(S.commentPunct) },
    },
    'directive-line': {
      patterns: [
        {
          name: 'meta.directive.escape.dockerfile',
          match: String.raw`^[ \t]*(#)[ \t]*((?i:escape))[ \t]*(=)[ \t]*(?:([\\` + '`' + String.raw`])|(\S.*?))[ \t]*$`,
          captures: {
            '1': cap('punctuation.definition.directive.dockerfile'),
            '2': cap('keyword.control.directive.dockerfile'),
            '3': cap(S.assign),
            '4': cap(S.escape),
            '5': cap('invalid.illegal.escape.dockerfile'),
          },
        },
        {
          name: 'meta.directive.dockerfile',
          match: String.raw`^[ \t]*(#)[ \t]*((?i:syntax|check))[ \t]*(=)[ \t]*(\S.*?)[ \t]*$`,
          captures: {
            '1': cap('punctuation.definition.directive.dockerfile'),
            '2': cap('keyword.control.directive.dockerfile'),
            '3': cap(S.assign),
            '4': cap('string.unquoted.directive-value.dockerfile'),
          },
        },
      ],
    },
    directives: {
      comment: 'parser directives: only in the block of lines that starts the file',
      begin: String.raw`\A(?=${DIRECTIVE})`,
      end: String.raw`^(?!${DIRECTIVE})`,
      patterns: [inc('escape-backtick'), inc('directive-line')],
    },
    'escape-backtick': {
      comment: 'after `# escape=`` the rest of the file uses the backtick variants',
      begin: String.raw`^[ \t]*(#)[ \t]*((?i:escape))[ \t]*(=)[ \t]*(` + '`' + String.raw`)[ \t]*(\n)`,
      beginCaptures: {
        '0': cap('meta.directive.escape.dockerfile'),
        '1': cap('punctuation.definition.directive.dockerfile'),
        '2': cap('keyword.control.directive.dockerfile'),
        '3': cap(S.assign),
        '4': cap(S.escape),
      },
      end: '(?!)',
      contentName: 'meta.escape.backtick.dockerfile',
      patterns: [
        {
          begin: String.raw`\G(?=${DIRECTIVE})`,
          end: String.raw`^(?!${DIRECTIVE})`,
          patterns: [inc('directive-line')],
        },
        inc('main-bt'),
      ],
    },
    variables: {
      patterns: [
        {
          begin: String.raw`(\$\{)([A-Za-z_][A-Za-z0-9_]*)?(:?[-+?]|##?|%%?|//?)?`,
          beginCaptures: {
            '1': cap('punctuation.definition.variable.begin.dockerfile'),
            '2': cap(S.variable),
            '3': cap('keyword.operator.expansion.dockerfile'),
          },
          end: String.raw`\}`,
          endCaptures: { '0': cap('punctuation.definition.variable.end.dockerfile') },
          name: 'meta.interpolation.dockerfile',
          patterns: [inc('variables')],
        },
        {
          match: String.raw`(\$)([A-Za-z_][A-Za-z0-9_]*)`,
          name: S.variable,
          captures: { '1': cap('punctuation.definition.variable.dockerfile') },
        },
      ],
    },
    'shell-first-statement': firstStatement(String.raw`\G`),
    'shell-first-statement-inline': firstStatement(String.raw`(?<=[ \t])`),
    'shell-word-before-continuation': {
      comment:
        'the shell grammar reads a command name up to and including a glued backslash (`pwsh\\`); this rule takes ' +
        'such a word first, so the line continuation is still seen; popped at the next line like the continuation',
      begin: String.raw`(?<![^ \t&|;(])([^\s"'&;<>|()\x60{}\\]+)(?=\\[ \t]*$)`,
      beginCaptures: { '1': { patterns: [{ include: 'source.shell#variable' }] } },
      while: '(?!)',
    },
    'heredoc-shell': {
      begin: String.raw`^(.*)(\n)`,
      beginCaptures: { '1': { name: S.shell, patterns: [{ include: 'source.shell' }] } },
      while: '(?!)',
    },
    'heredoc-python': {
      comment: 'a heredoc whose first line is a python shebang',
      begin: String.raw`^(?=#!.*\bpython)`,
      while: '^',
      patterns: [
        {
          begin: String.raw`^(.*)(\n)`,
          beginCaptures: { '1': { name: S.python, patterns: [{ include: 'source.python' }] } },
          while: '(?!)',
        },
        inc('load-python'),
      ],
    },
    'load-python': {
      comment:
        'never matches: vscode-textmate loads embedded grammars only when a patterns list (not a capture) names them',
      begin: '(?!)',
      end: '(?!)',
      patterns: [{ include: 'source.python' }],
    },
    ...variantRepository('bs'),
    ...variantRepository('bt'),
  };

  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'Dockerfile',
    scopeName: 'source.dockerfile',
    fileTypes: ['Dockerfile', 'Containerfile', 'dockerfile', 'containerfile'],
    patterns: [inc('directives'), inc('main-bs')],
    injections,
    repository,
  };
}

export const grammarPath = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'syntaxes',
  'dockerfile.tmLanguage.json',
);

/** The grammar file's text, formatted with the project's Prettier settings (so `prettier --check .` passes). */
export async function grammarText(): Promise<string> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(grammarPath)) ?? {};
  return prettier.format(JSON.stringify(buildGrammar()), { ...options, filepath: grammarPath });
}

async function main(): Promise<void> {
  const text = await grammarText();
  if (process.argv.includes('--check')) {
    if (readFileSync(grammarPath, 'utf8') !== text) {
      console.error('syntaxes/dockerfile.tmLanguage.json is stale: run node --import tsx scripts/build-grammar.ts');
      process.exitCode = 1;
    }
  } else {
    writeFileSync(grammarPath, text);
    console.log(`wrote ${grammarPath}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
