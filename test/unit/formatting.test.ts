import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { From, Onbuild } from 'dockerfile-ast';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import { doc, getService } from '../helpers/service';
import type { DockerfileModel, DockerfileService, FormatOptions } from '../../server/src/service';
import { joinContinuations } from '../../server/src/service/shell';

const SPACES_4: FormatOptions = { tabSize: 4, insertSpaces: true };

async function format(text: string, options: FormatOptions = SPACES_4, range?: Range): Promise<string> {
  const service = await getService();
  const document = doc(text);
  const edits = range ? service.formatRange(document, range, options) : service.format(document, options);
  return TextDocument.applyEdits(document, edits);
}

/** Formats, checks that formatting the result again changes nothing, returns the result. */
async function formatted(lines: string[], options: FormatOptions = SPACES_4): Promise<string[]> {
  const service = await getService();
  const once = await format(lines.join('\n'), options);
  assert.deepEqual(service.format(doc(once), options), [], `not idempotent:\n${once}`);
  return once.split('\n');
}

test('keywords upper-cased (ONBUILD triggers and AS too), no indent before them, one space after', async () => {
  assert.deepEqual(
    await formatted([
      '  from   alpine:3.20 as build',
      '\trun\techo hi',
      'onbuild   run echo hi',
      'Copy  --chown=1:1  a  b',
      'workdir /app',
      'EXPOSE 80',
      '',
    ]),
    [
      'FROM alpine:3.20 AS build',
      'RUN echo hi',
      'ONBUILD RUN echo hi',
      'COPY --chown=1:1  a  b',
      'WORKDIR /app',
      'EXPOSE 80',
      '',
    ],
  );
});

test('continuation lines get one indent (tabSize spaces or a tab); comments inside too', async () => {
  const lines = [
    'RUN apt-get update && \\',
    'apt-get install -y \\',
    '      # the tools',
    '          curl \\',
    '  ',
    '\tgit',
    '',
  ];
  assert.deepEqual(await formatted(lines), [
    'RUN apt-get update && \\',
    '    apt-get install -y \\',
    '    # the tools',
    '    curl \\',
    '',
    '    git',
    '',
  ]);
  assert.deepEqual(await formatted(lines, { tabSize: 2, insertSpaces: true }), [
    'RUN apt-get update && \\',
    '  apt-get install -y \\',
    '  # the tools',
    '  curl \\',
    '',
    '  git',
    '',
  ]);
  assert.deepEqual((await formatted(lines, { tabSize: 4, insertSpaces: false }))[1], '\tapt-get install -y \\');
  // JSON arrays and key=value lists continue the same way.
  assert.deepEqual(await formatted(['CMD ["a", \\', '"b"]', 'LABEL a=b \\', '        c=d', '']), [
    'CMD ["a", \\',
    '    "b"]',
    'LABEL a=b \\',
    '    c=d',
    '',
  ]);
});

test('never inside quotes: a continuation that starts inside a string keeps its whitespace', async () => {
  const untouched = [
    ['RUN echo "hello \\', '      world"'],
    ["RUN echo 'a \\", "b'"],
    ['RUN echo "$(echo "in \\', '        side")"'],
    ['RUN echo ${X:-a \\', '        b}'],
    ['ENV A="x \\', '   y" B=1'],
    ['LABEL description="one \\', '  two"'],
    ['CMD ["echo", "a \\', '   b"]'],
    // The kept line ends with a backslash: the shell escapes the continuation's first character.
    ['RUN echo a\\\\', '\tb'],
  ];
  for (const lines of untouched) assert.deepEqual(await formatted([...lines, '']), [...lines, ''], lines.join('\n'));
  // ... but command substitutions and comments are shell code: their whitespace is free.
  assert.deepEqual(await formatted(['RUN x=$(echo a \\', '  b) && echo "$x"', '']), [
    'RUN x=$(echo a \\',
    '    b) && echo "$x"',
    '',
  ]);
  assert.deepEqual(await formatted(["RUN echo hi # it's a comment \\", '  && echo swallowed', '']), [
    "RUN echo hi # it's a comment \\",
    '    && echo swallowed',
    '',
  ]);
});

test('a continuation that joins the middle of a word is left alone (indenting would split it)', async () => {
  assert.deepEqual(await formatted(['RUN echo abc\\', 'def \\', '   ghi', '']), [
    'RUN echo abc\\',
    'def \\',
    '    ghi',
    '',
  ]);
  // Indented already: a word boundary, so re-indenting is safe.
  assert.deepEqual(await formatted(['RUN echo abc\\', '  def', '']), ['RUN echo abc\\', '    def', '']);
});

test('heredoc bodies and delimiters are untouched', async () => {
  const lines = ['run <<EOF', '   indented   ', '\ttabbed', 'EOF', 'COPY <<-EOT /etc/x', '\tkeep', '\tEOT', ''];
  assert.deepEqual(await formatted(lines), ['RUN <<EOF', '   indented   ', '\ttabbed', 'EOF', ...lines.slice(4)]);
});

test('comments and blank lines: de-indented and trimmed, text kept; parser directives keep their place', async () => {
  assert.deepEqual(
    await formatted([' # syntax=docker/dockerfile:1', '   # Build   ', '  ', 'FROM alpine', '   #  note:  x  ', '']),
    [' # syntax=docker/dockerfile:1', '# Build', '', 'FROM alpine', '#  note:  x', ''],
  );
});

test('trailing whitespace removed, except inside an unterminated quote', async () => {
  assert.deepEqual(await formatted(['FROM alpine  ', 'RUN echo hi \\   ', '    there\t', 'RUN echo "open   ', '']), [
    'FROM alpine',
    'RUN echo hi \\',
    '    there',
    'RUN echo "open   ',
    '',
  ]);
});

test('the escape directive: backtick continuations', async () => {
  assert.deepEqual(
    await formatted(['# escape=`', 'FROM mcr.microsoft.com/windows/servercore', 'run dir `', 'c:\\ `', '  /s', '']),
    ['# escape=`', 'FROM mcr.microsoft.com/windows/servercore', 'RUN dir `', '    c:\\ `', '    /s', ''],
  );
});

test('CRLF line endings are kept', async () => {
  assert.equal(await format('from a\r\nrun x \\\r\n  y  \r\n'), 'FROM a\r\nRUN x \\\r\n    y\r\n');
});

test('ignoreMultilineInstructions: continuation lines untouched, first lines still formatted', async () => {
  const text = 'from a\nrun a \\\n b  \\\n       c\n  cmd x\n';
  assert.equal(
    await format(text, { ...SPACES_4, ignoreMultilineInstructions: true }),
    'FROM a\nRUN a \\\n b  \\\n       c\nCMD x\n',
  );
  // Whitespace before the line continuation is part of the line: kept.
  assert.equal(await format(text), 'FROM a\nRUN a \\\n    b  \\\n    c\nCMD x\n');
});

test('range formatting touches only the lines of the range', async () => {
  const text = 'from a\nrun a \\\n b\nrun c\n  cmd x\n';
  const range = { start: { line: 2, character: 0 }, end: { line: 3, character: 2 } };
  assert.equal(await format(text, SPACES_4, range), 'from a\nrun a \\\n    b\nRUN c\n  cmd x\n');
  // A selection ending at the start of a line does not include that line.
  const upTo = { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } };
  assert.equal(await format(text, SPACES_4, upTo), 'FROM a\nrun a \\\n b\nrun c\n  cmd x\n');
});

test('formatted text gives no edits; an empty document neither', async () => {
  const service = await getService();
  assert.deepEqual(service.format(doc('FROM a AS b\nRUN x && \\\n    y\n\n# c\nCMD ["z"]\n'), SPACES_4), []);
  assert.deepEqual(service.format(doc(''), SPACES_4), []);
});

// ---------------------------------------------------------------------------------------------
// Property: for random Dockerfiles built from a pool of tricky lines, formatting is idempotent and
// never changes what the build does: the same instructions, the same non-whitespace characters
// (only keywords change case), the same shell scripts and instruction texts up to the amount of
// whitespace between words, and exactly the same quoted strings.

const POOL: readonly (readonly string[])[] = [
  ['FROM alpine:3.20 AS build'],
  ['from alpine as base'],
  ['FROM --platform=$BUILDPLATFORM golang:1.23 AS b'],
  ['RUN apt-get update && \\', '    apt-get install -y curl \\', '  git'],
  ['RUN echo "a   \\', '   b"'],
  ["RUN echo 'x  \\", "    y'"],
  ['RUN echo a\\', 'b'],
  ['RUN echo $(echo "in  \\', '   side") done'],
  ['RUN x=$(echo a \\', '      b) && echo "$x"'],
  ['RUN set -e; \\', '  # comment inside', '', '  echo done'],
  ['run <<EOF', '  body  ', 'EOF'],
  ['COPY <<-EOT /x', '\tindented', '\tEOT'],
  ['ENV A="x \\', '   y" B=1'],
  ['LABEL a=b \\', '      c=d'],
  ['CMD ["sh", \\', '  "-c", "echo  hi"]'],
  ['ENTRYPOINT ["echo", "a \\', '   b"]'],
  ['# a comment'],
  ['   # indented comment   '],
  [''],
  ['   '],
  ['onbuild run echo hi'],
  ['ONBUILD   COPY . /x'],
  ['HEALTHCHECK --interval=5s \\', '   CMD curl -f http://x/ || exit 1'],
  ['ENTRYPOINT echo ${X:-"a  b"}'],
  ['EXPOSE 80   '],
  ['\tWORKDIR /app'],
  ['RUN echo a \\', '\t\tb \\', '        c'],
  ['RUN echo "${A:-x \\', '   y}"'],
  ['RUN echo `date \\', '   +%s`'],
  ['USER app'],
  ['ARG X=1 \\', '  Y=2'],
  ["ENV A='x \\", "   y'"],
  ['RUN echo "a"\\', '"b"'],
  ['RUN echo start \\', '   \\', '  end'],
  ['RUN echo a\\\\', '\tb'],
];

const INDENTS = ['', ' ', '   ', '\t'];
const TRAILING = ['', ' ', '  \t'];

const dockerfile = fc
  .record({
    header: fc.constantFrom('', '# syntax=docker/dockerfile:1\n', '# escape=`\n'),
    blocks: fc.array(
      fc.record({
        block: fc.constantFrom(...POOL),
        indents: fc.array(fc.constantFrom(...INDENTS), { minLength: 4, maxLength: 4 }),
        trailing: fc.constantFrom(...TRAILING),
      }),
      { minLength: 1, maxLength: 12 },
    ),
    crlf: fc.boolean(),
  })
  .map(({ header, blocks, crlf }) => {
    const backtick = header.startsWith('# escape');
    const lines: string[] = [];
    for (const { block, indents, trailing } of blocks) {
      block.forEach((line, i) => {
        const text = backtick ? line.replace(/\\$/, '`') : line;
        lines.push(indents[i % indents.length] + text + (i === block.length - 1 ? trailing : ''));
      });
    }
    return header + lines.join(crlf ? '\r\n' : '\n') + (crlf ? '\r\n' : '\n');
  });

const nonSpace = (s: string) => s.replace(/\s+/g, '');
/** Runs of whitespace as one space, but an escaped blank (`\` + tab or space) kept as it is. */
const words = (s: string) =>
  s
    .replace(/\\([ \t])/g, (_, blank: string) => (blank === '\t' ? '\\<tab>' : '\\<space>'))
    .replace(/[ \t]+/g, ' ')
    .trim();
const QUOTED = /"(?:[^"\\]|\\[\s\S])*"|'[^']*'/g;
const quoted = (s: string) => s.match(QUOTED) ?? [];

/** Offsets of the characters formatting may upper-case: keywords, ONBUILD triggers, FROM's AS. */
function caseChangeable(model: DockerfileModel): Set<number> {
  const offsets = new Set<number>();
  const document = model.document;
  const add = (range: Range | null | undefined) => {
    if (!range) return;
    for (let o = document.offsetAt(range.start); o < document.offsetAt(range.end); o++) offsets.add(o);
  };
  for (const instruction of model.instructions) {
    add(instruction.getInstructionRange());
    if (instruction instanceof Onbuild) add(instruction.getTriggerRange());
    if (instruction instanceof From) add(instruction.getArguments()[1]?.getRange());
  }
  return offsets;
}

/** What each instruction builds, in comparable form. */
function behaviour(service: DockerfileService, text: string) {
  const model = service.getModel(doc(text));
  return model.instructions.map((instruction) => {
    const scripts = model.shellScripts(instruction);
    const start = model.document.offsetAt(instruction.getInstructionRange().end);
    const end = model.document.offsetAt(instruction.getRange().end);
    // The instruction as Docker joins it (up to its heredocs, if any).
    const joined = joinContinuations(model.text, start, end, model.escape).body;
    return {
      keyword: instruction.getKeyword(),
      // Heredoc bodies exactly; command lines up to the amount of whitespace between words. The
      // model keeps `RUN cmd <<EOF` bodies raw (continuations and comment lines in): whitespace
      // around their line breaks is left out here, the joined text below covers that part.
      scripts: scripts.map((s) => (s.kind === 'heredoc' ? s.text : words(s.text.replace(/[ \t]*\r?\n[ \t]*/g, '\n')))),
      scriptStrings: scripts.flatMap((s) => quoted(s.text)),
      text: words(joined).toUpperCase(),
      strings: quoted(joined),
    };
  });
}

test('property: idempotent, and the build is unchanged (instructions, characters, scripts, strings)', async () => {
  const service = await getService();
  fc.assert(
    fc.property(
      dockerfile,
      fc.constantFrom<FormatOptions>(SPACES_4, { tabSize: 2, insertSpaces: false }),
      (text, options) => {
        const document = doc(text);
        const once = TextDocument.applyEdits(document, service.format(document, options));
        assert.deepEqual(service.format(doc(once), options), [], `not idempotent:\n${once}`);

        // Non-whitespace characters: identical, except keywords that may change case.
        const allowed = caseChangeable(service.getModel(document));
        let original = '';
        const mayChange: boolean[] = [];
        for (let i = 0; i < text.length; i++) {
          if (/\s/.test(text[i]!)) continue;
          original += text[i];
          mayChange.push(allowed.has(i));
        }
        const result = nonSpace(once);
        assert.equal(result.length, original.length, `characters added or lost:\n${text}\n---\n${once}`);
        for (let i = 0; i < original.length; i++) {
          const same = result[i] === original[i] || (mayChange[i] && result[i] === original[i]!.toUpperCase());
          assert.ok(same, `character ${i} changed: ${original[i]} -> ${result[i]}\n${text}\n---\n${once}`);
        }

        assert.deepEqual(behaviour(service, once), behaviour(service, text), `${text}\n---\n${once}`);
      },
    ),
    { numRuns: Number(process.env.FC_RUNS ?? 150) },
  );
});
