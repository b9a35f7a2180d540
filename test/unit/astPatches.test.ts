// server/src/service/astPatches.ts replaces dockerfile-ast's variable resolution with the same
// procedure over an index. These tests compare it, line by line and name by name, with an unpatched
// copy of dockerfile-ast loaded next to it, check that shared arguments cannot be changed, and that
// the raw arguments (split without the scan, continuations included) are the unpatched scan's, value and
// range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DockerfileParser, Property, type From, type Instruction } from 'dockerfile-ast';
import { Parser } from 'dockerfile-ast/lib/parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Range as Ranges, type Range } from 'vscode-languageserver-types';
import '../../server/src/service/astPatches';
import { pristine } from '../helpers/pristine';

interface Image {
  getRange(): unknown;
}
interface AnyDockerfile extends Image {
  readonly initialInstructions: { getComments(): { getRange(): unknown }[] };
  readonly buildStages: readonly { getComments(): { getRange(): unknown }[] }[];
  resolveVariable(name: string, line: number): string | null | undefined;
  getContainingImage(position: { line: number; character: number }): Image | null;
}

/** A second, unpatched instance of dockerfile-ast. */
function pristineParser(): typeof DockerfileParser {
  const fresh = pristine<{ DockerfileParser: typeof DockerfileParser }>('dockerfile-ast').DockerfileParser;
  assert.notEqual(fresh, DockerfileParser, 'a separate copy');
  return fresh;
}

const ORIGINAL = pristineParser();

const FILES: Record<string, string> = {
  'stages, initial ARGs, ENV over ARG, ARG without value': [
    '# syntax=docker/dockerfile:1',
    'ARG BASE=debian',
    'ARG TAG',
    'ARG A=1 B=2',
    'FROM ${BASE}:${TAG} AS one',
    'ARG TAG',
    'ENV X=1 Y=$X',
    'RUN echo $X $Y $TAG $BASE $A $B',
    'ARG X=shadowed',
    'RUN echo $X',
    'ENV R=first R=second',
    'RUN echo $R',
    '',
    'FROM \\',
    '  $BASE \\',
    '  AS two',
    'ENV BASE=local',
    'RUN echo $BASE $X',
    '# trailing comment',
  ].join('\n'),
  'comments only before the first FROM': ['# a', '# b', 'FROM alpine', 'ARG V', 'RUN echo $V'].join('\n'),
  'no FROM at all': ['ARG V=1', 'ENV W=$V', 'RUN echo $V $W'].join('\n'),
  'a line outside every stage': ['ARG V=1', '', '# gap', '', 'FROM alpine:$V', 'RUN echo $V'].join('\n'),
  'blank lines and continuations inside a stage': [
    'FROM alpine AS a',
    'ENV P=1',
    '',
    'RUN echo $P \\',
    '',
    '    && echo $Q',
    'ENV Q=2',
    'FROM a',
    'RUN echo $P $Q',
    '',
  ].join('\n'),
  'comments everywhere': [
    '# header',
    'ARG V=1',
    '# between the global ARGs',
    'ARG W=2',
    '# before the first FROM',
    'FROM alpine AS a # not a comment',
    '# in a',
    'RUN echo $V \\',
    '# inside a continuation',
    '    && echo done',
    '',
    '# between stages',
    '',
    'FROM a',
    '  # indented, in the second stage',
    'ENV V=2',
    '# last',
  ].join('\n'),
  empty: '',
};

const NAMES = ['BASE', 'TAG', 'A', 'B', 'X', 'Y', 'R', 'V', 'W', 'P', 'Q', 'MISSING'];

for (const [name, text] of Object.entries(FILES)) {
  test(`resolveVariable and getContainingImage answer as dockerfile-ast does: ${name}`, () => {
    const ours = DockerfileParser.parse(text) as unknown as AnyDockerfile;
    const theirs = ORIGINAL.parse(text) as unknown as AnyDockerfile;
    const lines = text.split('\n').length;
    let compared = 0;
    for (let line = -1; line <= lines + 1; line++) {
      for (const character of [0, 1]) {
        const a = ours.getContainingImage({ line, character });
        const b = theirs.getContainingImage({ line, character });
        assert.deepEqual(
          a === ours ? 'file' : a?.getRange(),
          b === theirs ? 'file' : b?.getRange(),
          `image at ${line}:${character}`,
        );
      }
      for (const variable of NAMES) {
        let expected: string | null | undefined;
        try {
          expected = theirs.resolveVariable(variable, line);
        } catch (error) {
          // dockerfile-ast calls itself without end for a line outside every stage; the patch looks in
          // the file's own instructions then (astPatches.ts).
          assert.ok(error instanceof RangeError);
          continue;
        }
        assert.equal(ours.resolveVariable(variable, line), expected, `${variable} at line ${line}`);
        compared++;
      }
    }
    assert.ok(compared > 0);
  });

  test(`isBuildVariable answers as dockerfile-ast does: ${name}`, () => {
    type Asks = { isBuildVariable(variable: string, line: number): boolean | undefined };
    const ours = DockerfileParser.parse(text).getInstructions() as unknown as Asks[];
    const theirs = ORIGINAL.parse(text).getInstructions() as unknown as Asks[];
    const lines = text.split('\n').length;
    let compared = 0;
    for (const [i, instruction] of theirs.entries())
      for (let line = 0; line <= lines; line++)
        for (const variable of NAMES) {
          let expected: boolean | undefined;
          try {
            expected = instruction.isBuildVariable(variable, line);
          } catch {
            continue; // a line outside every image (dockerfile-ast reads a null image)
          }
          assert.equal(ours[i]!.isBuildVariable(variable, line), expected, `${i}: ${variable} at line ${line}`);
          compared++;
        }
    if (theirs.length > 0) assert.ok(compared > 0);
  });

  test(`comments go to the stages dockerfile-ast gives them to: ${name}`, () => {
    const comments = (file: AnyDockerfile) => [
      file.initialInstructions.getComments().map((c) => c.getRange()),
      ...file.buildStages.map((stage) => stage.getComments().map((c) => c.getRange())),
    ];
    const ours = comments(DockerfileParser.parse(text) as unknown as AnyDockerfile);
    assert.deepEqual(ours, comments(ORIGINAL.parse(text) as unknown as AnyDockerfile));
    if (name === 'comments everywhere') {
      // Some go to the global ARGs, some to stages (those between stages go nowhere, in both).
      assert.ok(ours[0]!.length > 0 && ours.slice(1).some((list) => list.length > 0));
    }
  });
}

test('arguments are shared and frozen: a change fails instead of corrupting later answers', () => {
  // `one` sits on one line of a continued instruction, `two\\\nthree` spans two lines.
  const file = DockerfileParser.parse('RUN echo one two\\\nthree\n');
  const run = file.getInstructions()[0]!;
  const first = run.getArguments();
  const second = run.getArguments();
  assert.notEqual(first, second, 'each call gets its own array');
  assert.equal(first[0], second[0], 'of the same arguments');
  first.shift();
  assert.equal(run.getArguments().length, 3, 'changing the array changes nothing else');
  // dockerfile-ast's modules are strict: such an assignment there throws a TypeError.
  assert.equal(Reflect.set(second[1]!, 'value', 'x'), false);
  assert.equal(Reflect.set(second[2]!, 'value', 'x'), false);
  // An argument on one line makes its range when asked: a change to it stays the caller's.
  assert.notEqual(second[1]!.getRange(), second[1]!.getRange());
  second[1]!.getRange().start.line = 5;
  assert.deepEqual(run.getArguments()[1]!.getRange(), {
    start: { line: 0, character: 9 },
    end: { line: 0, character: 12 },
  });
  // One across lines keeps the range the scan made, frozen.
  assert.equal(Reflect.set(second[2]!.getRange().start, 'line', 5), false);
  assert.equal(Reflect.set(second[2]!.getRange(), 'start', { line: 5, character: 0 }), false);
  assert.deepEqual(run.getArguments()[2]!.getRange(), {
    start: { line: 0, character: 13 },
    end: { line: 1, character: 5 },
  });
  assert.equal(run.getArguments()[2]!.getValue(), 'twothree');
});

test("an ENV's property arguments are read once, shared and frozen", () => {
  const env = DockerfileParser.parse('ENV A=1 \\\n  B="two words"\n').getInstructions()[0]!;
  const read = env as unknown as { getPropertyArguments(): { getValue(): string; getRange(): Range }[] };
  const first = read.getPropertyArguments();
  const second = read.getPropertyArguments();
  assert.notEqual(first, second, 'each call gets its own array');
  assert.equal(first[1], second[1], 'of the same arguments');
  first.pop();
  assert.equal(read.getPropertyArguments().length, 2, 'changing the array changes nothing else');
  assert.equal(Reflect.set(second[1]!, 'value', 'x'), false);
  assert.equal(Reflect.set(second[1]!.getRange().start, 'line', 5), false);
  assert.deepEqual(
    read.getPropertyArguments().map((a) => [a.getValue(), a.getRange()]),
    [
      ['A=1', { start: { line: 0, character: 4 }, end: { line: 0, character: 7 } }],
      ['B="two words"', { start: { line: 1, character: 2 }, end: { line: 1, character: 15 } }],
    ],
  );
});

test("FROM's image name range is a copy: the first argument keeps its own", () => {
  const file = DockerfileParser.parse('FROM registry.example.com/team/app:1.2 AS build\n');
  const from = file.getInstructions()[0] as From;
  const before = from.getArguments()[0]!.getRange();
  const name = from.getImageNameRange()!;
  assert.deepEqual(name, { start: { line: 0, character: 26 }, end: { line: 0, character: 34 } });
  assert.deepEqual(from.getArguments()[0]!.getRange(), before);
  assert.equal(from.getImageName(), 'team/app');
  assert.equal(from.getRegistry(), 'registry.example.com');
  assert.equal(from.getImageTag(), '1.2');
});

/** What `read` says of every instruction, ONBUILD triggers included. */
function perInstruction(parser: typeof DockerfileParser, text: string, read: (i: Instruction) => unknown): unknown[] {
  const out: unknown[] = [];
  for (const instruction of parser.parse(text).getInstructions()) {
    const trigger = (
      instruction as { getTriggerInstruction?: () => typeof instruction | null }
    ).getTriggerInstruction?.();
    for (const each of trigger ? [instruction, trigger] : [instruction]) out.push([each.getKeyword(), read(each)]);
  }
  return out;
}

/** Every instruction's raw arguments (value and range). */
const rawArguments = (parser: typeof DockerfileParser, text: string): unknown[] =>
  perInstruction(parser, text, (instruction) =>
    (instruction as unknown as { getRawArguments(): { getValue(): string; getRange(): unknown }[] })
      .getRawArguments()
      .map((a) => [a.getValue(), a.getRange()]),
  );

/** Every ENV's, LABEL's and ARG's property arguments (value and range). */
const propertyArguments = (parser: typeof DockerfileParser, text: string): unknown[] =>
  perInstruction(parser, text, (instruction) =>
    (instruction as unknown as { getPropertyArguments?(): { getValue(): string; getRange(): unknown }[] })
      .getPropertyArguments?.()
      .map((a) => [a.getValue(), a.getRange()]),
  );

/**
 * Where the parse puts things: each instruction's class and ranges, each comment's range. The patched
 * parser skips the characters that change nothing in runs (processArguments(), processComment()).
 */
function layout(parser: typeof DockerfileParser, text: string): unknown {
  const file = parser.parse(text);
  return {
    instructions: file
      .getInstructions()
      .map((i) => [i.constructor.name, i.getKeyword(), i.getRange(), i.getInstructionRange()]),
    comments: file.getComments().map((c) => c.getRange()),
  };
}

/**
 * Every instruction's variables: name, ranges, modifier and its parameter. Unpatched, a variable on
 * a line outside every stage overflows the stack (resolveVariable(), see astPatches.ts): such an
 * instruction reads `THROWS`, and assertSameVariables() leaves it out.
 */
const THROWS = 'throws';
const variables = (parser: typeof DockerfileParser, text: string): unknown[] =>
  perInstruction(parser, text, (instruction) => {
    try {
      return instruction
        .getVariables()
        .map((v) => [
          v.getName(),
          v.getRange(),
          v.getNameRange(),
          v.getModifier(),
          v.getModifierRange(),
          v.getSubstitutionParameter(),
          v.getSubstitutionRange(),
        ]);
    } catch (e) {
      if (e instanceof RangeError) return THROWS;
      throw e;
    }
  });

function assertSameVariables(text: string): void {
  const ours = variables(DockerfileParser, text);
  const theirs = variables(ORIGINAL, text);
  assert.equal(ours.length, theirs.length);
  for (const [i, entry] of theirs.entries())
    if ((entry as unknown[])[1] !== THROWS)
      assert.deepEqual(ours[i], entry, `instruction ${i} of ${JSON.stringify(text)}`);
}

/**
 * Every instruction's heredocs: name and ranges. Unpatched, getHeredocs() throws on a line break it
 * does not expect (see astPatches.ts), where the patch answers none.
 */
const heredocs = (parser: typeof DockerfileParser, text: string): unknown[] =>
  perInstruction(parser, text, (instruction) => {
    try {
      return (
        instruction as unknown as {
          getHeredocs(): {
            getName(): string;
            getStartRange(): unknown;
            getNameRange(): unknown;
            getContentRange(): unknown;
            getDelimiterRange(): unknown;
          }[];
        }
      )
        .getHeredocs()
        .map((h) => [h.getName(), h.getStartRange(), h.getNameRange(), h.getContentRange(), h.getDelimiterRange()]);
    } catch (e) {
      if (e instanceof TypeError) return []; // reading a heredoc definition that is not there
      throw e;
    }
  });

const ARGUMENT_CASES = [
  'FROM alpine:3.19 AS build\nRUN  echo   one\ttwo  \nCOPY a b /c/\n',
  '  RUN echo indented\nENV A=1 B="two words"\nLABEL x=y #not-a-comment\n',
  'RUN\nRUN   \nEXPOSE 80/tcp\t443\n',
  'RUN echo a\\ b c\\\\d\nRUN echo \\$HOME\nRUN echo end\\',
  'RUN echo one \\\n  two \\\n# a comment\n  three\n',
  'RUN echo one\r\nRUN echo two \\\r\n  three\r\n',
  '# escape=`\nRUN echo a\\b c`\n  d\nRUN dir C:\\windows\n',
  'ONBUILD RUN echo on build\nONBUILD COPY . /app\n',
  'R\\\nUN echo split keyword\n',
  // Words joined across continuations (no indentation), a comment line and an empty one inside, a
  // continuation alone on its line.
  'RUN ab\\\ncd ef\\\n# c\n\\\n  \\\ngh \\\n   \\\n\tij\n',
  'RUN <<EOF\necho in a heredoc\n# not a comment\nEOF\nCOPY <<A <<B /x/\na\nA\nb\nB\n',
  // Variables: modifiers, escaped `$`, a LABEL in single quotes, one across a continuation, none.
  'ARG A=1\nFROM img:${A:-x} AS b\nENV B=${A:+y} C=$A D=\\$A E=${A?}\nLABEL l=\'$A\' m="$A"\nRUN echo ${A\\\n}x $\nCMD echo plain\n',
  '# escape=`\nENV A=`$x B=${y:-`$z}\nONBUILD RUN echo $A\nEXPOSE $PORT/tcp\n',
];

for (const [i, text] of ARGUMENT_CASES.entries()) {
  test(`instructions, comments, raw and property arguments, variables and heredocs are dockerfile-ast's: case ${i + 1}`, () => {
    assert.deepEqual(layout(DockerfileParser, text), layout(ORIGINAL, text));
    assert.deepEqual(rawArguments(DockerfileParser, text), rawArguments(ORIGINAL, text));
    assert.deepEqual(propertyArguments(DockerfileParser, text), propertyArguments(ORIGINAL, text));
    assertSameVariables(text);
    assert.deepEqual(heredocs(DockerfileParser, text), heredocs(ORIGINAL, text));
  });
}

test('an instruction is made once, unless its text has a `<` that may start a heredoc', () => {
  // dockerfile-ast makes each instruction a first time only to ask it for heredocs, then again.
  const parser = Parser.prototype as unknown as { createInstruction: (...args: unknown[]) => unknown };
  const original = parser.createInstruction;
  let made = 0;
  parser.createInstruction = function (this: unknown, ...args: unknown[]) {
    made++;
    return original.apply(this, args);
  };
  try {
    const count = (text: string) => {
      made = 0;
      const instructions = DockerfileParser.parse(text).getInstructions().length;
      return { instructions, made };
    };
    assert.deepEqual(count('FROM a\nRUN echo hi \\\n  && make\nCOPY x /y\n'), { instructions: 3, made: 3 });
    // A `<` in the instruction (a heredoc or not) or a later one: only those are made twice.
    assert.deepEqual(count('FROM a\nRUN <<EOF\necho\nEOF\nRUN a < b\nCMD c\n'), { instructions: 4, made: 6 });
    assert.deepEqual(count('FROM a\nRUN x\nRUN y \\\n  <<EOF\nz\nEOF\n'), { instructions: 3, made: 4 });
  } finally {
    parser.createInstruction = original;
  }
});

test("an ONBUILD's trigger is made once, and is the one dockerfile-ast makes", () => {
  const text = 'FROM a\nONBUILD RUN echo $X \\\n  && make\nONBUILD\n';
  const [, onbuild, empty] = DockerfileParser.parse(text).getInstructions() as unknown as {
    getTriggerInstruction(): Instruction | null;
  }[];
  const trigger = onbuild!.getTriggerInstruction();
  assert.ok(trigger);
  assert.equal(onbuild!.getTriggerInstruction(), trigger, 'the same object on every call');
  assert.equal(empty!.getTriggerInstruction(), null);
  assert.equal(empty!.getTriggerInstruction(), null);
  const theirs = (
    ORIGINAL.parse(text).getInstructions()[1] as unknown as { getTriggerInstruction(): Instruction }
  ).getTriggerInstruction();
  assert.deepEqual(
    [trigger.getKeyword(), trigger.getRange(), trigger.getArguments().map((a) => a.getValue())],
    [theirs.getKeyword(), theirs.getRange(), theirs.getArguments().map((a) => a.getValue())],
  );
});

test("isAfter() and isBefore() of raw arguments are dockerfile-ast's", () => {
  type Arg = { isAfter(p: unknown): boolean; isBefore(p: unknown): boolean };
  const args = (parser: typeof DockerfileParser, text: string): Arg[] =>
    parser
      .parse(text)
      .getInstructions()
      .flatMap((i) => (i as unknown as { getRawArguments(): Arg[] }).getRawArguments());
  let compared = 0;
  for (const text of ARGUMENT_CASES) {
    const ours = args(DockerfileParser, text);
    const theirs = args(ORIGINAL, text);
    assert.equal(ours.length, theirs.length);
    for (const [i, arg] of ours.entries())
      for (let line = 0; line <= 4; line++)
        for (let character = 0; character <= 20; character++) {
          const at = { line, character };
          assert.equal(arg.isAfter(at), theirs[i]!.isAfter(at), `${text} #${i} after ${line}:${character}`);
          assert.equal(arg.isBefore(at), theirs[i]!.isBefore(at), `${text} #${i} before ${line}:${character}`);
          compared++;
        }
  }
  assert.ok(compared > 5000);
});

test("instructions, comments, raw and property arguments, variables and heredocs are dockerfile-ast's on generated lines (property)", () => {
  const piece = fc.constantFrom(
    ' ',
    '  ',
    '\t',
    'a',
    'bc',
    '\\',
    '`',
    '#',
    '$X',
    '${Y:-z}',
    '{',
    '}',
    '"q"',
    '\n',
    '\r\n',
    '\r',
    '\\\n',
    '\\ \n',
    '\\ ',
    '=',
    '<<EOF',
    '<<-EOF',
    '<',
    'EOF',
  );
  const line = fc.tuple(
    fc.constantFrom('RUN', 'FROM', 'ENV', 'COPY', 'ONBUILD RUN', 'LABEL', 'ARG', 'run', ' RUN'),
    fc.array(piece, { maxLength: 12 }),
  );
  fc.assert(
    fc.property(fc.boolean(), fc.array(line, { minLength: 1, maxLength: 4 }), (backtick, lines) => {
      const text = (backtick ? '# escape=`\n' : '') + lines.map(([k, p]) => `${k} ${p.join('')}`).join('\n');
      assert.deepEqual(layout(DockerfileParser, text), layout(ORIGINAL, text));
      assert.deepEqual(rawArguments(DockerfileParser, text), rawArguments(ORIGINAL, text));
      assert.deepEqual(propertyArguments(DockerfileParser, text), propertyArguments(ORIGINAL, text));
      assertSameVariables(text);
      assert.deepEqual(heredocs(DockerfileParser, text), heredocs(ORIGINAL, text));
    }),
    { numRuns: 500 },
  );
});

/** A second, unpatched instance of vscode-languageserver-textdocument. */
function pristineTextDocument(): typeof TextDocument {
  const fresh = pristine<{ TextDocument: typeof TextDocument }>('vscode-languageserver-textdocument').TextDocument;
  const prototypeOf = (t: typeof TextDocument) => Object.getPrototypeOf(t.create('', '', 0, '')) as unknown;
  assert.notEqual(prototypeOf(fresh), prototypeOf(TextDocument), 'a separate copy');
  return fresh;
}

test("a text document's lines start where vscode-languageserver-textdocument puts them (property)", () => {
  const Original = pristineTextDocument();
  const text = fc
    .array(fc.constantFrom('a', ' ', '\n', '\r', '\r\n', '\n\r', 'é'), { maxLength: 40 })
    .map((p) => p.join(''));
  fc.assert(
    fc.property(text, (content) => {
      const ours = TextDocument.create('file:///a', 'dockerfile', 1, content);
      const theirs = Original.create('file:///a', 'dockerfile', 1, content);
      assert.equal(ours.lineCount, theirs.lineCount);
      for (let offset = -1; offset <= content.length + 1; offset++)
        assert.deepEqual(ours.positionAt(offset), theirs.positionAt(offset), `offset ${offset}`);
      for (let line = 0; line <= theirs.lineCount; line++)
        for (const character of [0, 1, 3, 100])
          assert.equal(ours.offsetAt({ line, character }), theirs.offsetAt({ line, character }));
    }),
    { numRuns: 500 },
  );
});

test('a text document answers positions in any order as vscode-languageserver-textdocument does (property)', () => {
  // positionAt() looks first on the line of its last answer: offsets asked backwards, repeated and
  // far apart must not see a stale line.
  const Original = pristineTextDocument();
  const text = fc
    .array(fc.constantFrom('ab', ' ', '\n', '\r', '\r\n', '\n\n', 'é'), { maxLength: 60 })
    .map((p) => p.join(''));
  const offset = fc.oneof(
    fc.integer({ min: -2, max: 130 }),
    fc.double({ min: -2, max: 130, noNaN: true }),
    fc.constantFrom(Number.NaN, Infinity, -Infinity),
  );
  fc.assert(
    fc.property(text, fc.array(offset, { maxLength: 30 }), (content, offsets) => {
      const ours = TextDocument.create('file:///a', 'dockerfile', 1, content);
      const theirs = Original.create('file:///a', 'dockerfile', 1, content);
      for (const at of offsets) assert.deepEqual(ours.positionAt(at), theirs.positionAt(at), `offset ${at}`);
    }),
    { numRuns: 1000 },
  );
  // After an edit, through TextDocument.update(), the lines moved.
  let ours = TextDocument.create('file:///a', 'dockerfile', 1, 'a\nb\nc\nd');
  let theirs = Original.create('file:///a', 'dockerfile', 1, 'a\nb\nc\nd');
  assert.deepEqual(ours.positionAt(6), theirs.positionAt(6));
  const change = [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x\ny\n' }];
  ours = TextDocument.update(ours, change, 2);
  theirs = Original.update(theirs, change, 2);
  for (const at of [6, 7, 0, 9, 3]) assert.deepEqual(ours.positionAt(at), theirs.positionAt(at), `offset ${at}`);
});

test("Range.create() answers and fails as vscode-languageserver-types' does (property)", () => {
  type Create = (...args: unknown[]) => unknown;
  const ours = (Ranges as unknown as { create: Create }).create;
  const theirs = pristine<{ Range: { create: Create } }>('vscode-languageserver-types').Range.create;
  assert.notEqual(ours, theirs, 'a separate copy');
  const outcome = (create: Create, args: unknown[]): unknown => {
    try {
      return { value: create(...args) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };
  const number = fc.oneof(
    fc.integer({ min: -3, max: 5 }),
    fc.constantFrom(2147483647, 2147483648, -0, 0.5, NaN, Infinity, Number.MAX_VALUE),
  );
  const value = fc.oneof(
    number,
    number.map((n) => new Number(n)), // what Object.prototype.toString calls a number too
    fc.record({ line: number, character: number }),
    fc.record({ line: fc.constantFrom<unknown>('1', null, undefined), character: number }),
    fc.constantFrom<unknown>(null, undefined, '1', {}, []),
  );
  fc.assert(
    fc.property(fc.array(value, { maxLength: 4 }), (args) => {
      assert.deepEqual(outcome(ours, args), outcome(theirs, args));
    }),
    { numRuns: 2000 },
  );
  // A range made of two positions holds those very objects, as the library's does.
  const start = { line: 1, character: 2 };
  const end = { line: 3, character: 4 };
  const made = ours(start, end) as { start: unknown; end: unknown };
  assert.equal(made.start, start);
  assert.equal(made.end, end);
});

test("a property's name and value are unescaped as dockerfile-ast does (property)", () => {
  type Unescape = { getValue(value: string, escapeChar: string): string };
  const patched = Property as unknown as Unescape;
  const original = pristine<{ Property: Unescape }>('dockerfile-ast').Property;
  assert.notEqual(original, patched, 'a separate copy');
  const text = fc
    .array(fc.constantFrom('a', 'b=c', ' ', '\t', '"', "'", '\\', '`', '\r', '\n', '\r\n', '#', '$x', 'é'), {
      maxLength: 16,
    })
    .map((pieces) => pieces.join(''));
  fc.assert(
    fc.property(text, fc.constantFrom('\\', '`', ''), (value, escapeChar) => {
      assert.equal(patched.getValue(value, escapeChar), original.getValue(value, escapeChar), JSON.stringify(value));
    }),
    { numRuns: 3000 },
  );
  // Plain texts come back as they are, and the cases that need unescaping still are.
  assert.equal(patched.getValue('plain-value', '\\'), 'plain-value');
  assert.equal(patched.getValue('"quoted"', '\\'), 'quoted');
  assert.equal(patched.getValue('a\\ b', '\\'), 'a b');
});
