// server/src/service/validatorPatches.ts returns early from three of dockerfile-utils' checks where
// the library's own procedure would end without a diagnostic. These tests compare the patched
// validator's diagnostics with an unpatched copy of dockerfile-utils loaded next to it, on chosen
// texts and on generated ones, under the library's default settings and under Docksmith's, and check
// that the early returns are taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DockerfileParser, Instruction } from 'dockerfile-ast';
import { Validator } from 'dockerfile-utils/lib/dockerValidator';
import * as utils from 'dockerfile-utils';
import { ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils';
import '../../server/src/service/astPatches';
import '../../server/src/service/validatorPatches';
import { pristine } from '../helpers/pristine';

const ORIGINAL = pristine<typeof utils>('dockerfile-utils');

/** The defaults, and settings that turn every check these patches touch into a diagnostic. */
const SETTINGS: readonly ValidatorSettings[] = [
  {},
  {
    instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
    emptyContinuationLine: ValidationSeverity.WARNING,
    directiveCasing: ValidationSeverity.WARNING,
  },
];

function assertSameDiagnostics(text: string): void {
  for (const settings of SETTINGS)
    assert.deepEqual(utils.validate(text, settings), ORIGINAL.validate(text, settings), JSON.stringify(text));
}

test('the patches are installed on the validator that Docksmith uses, not on the unpatched copy', () => {
  assert.notEqual(utils.validate, ORIGINAL.validate, 'a separate copy');
  const run = 'FROM a\nRUN echo $A\n';
  assert.deepEqual(utils.validate(run), ORIGINAL.validate(run));
});

const CASES = [
  // JSON arrays in single quotes, and their look-alikes.
  "FROM a\nCMD ['a', 'b']\nENTRYPOINT ['x']\nRUN ['sh', '-c']\nVOLUME ['/v']\n",
  "FROM a\nCOPY ['a', '/b/']\nADD ['a','b', '/c/']\nCMD [ 'a' ]\nCMD []\nCMD [ ]\nRUN [\n",
  "FROM a\nCMD [\"a\"]\nCMD [\"a\", 'b']\nCMD 'a'\nCMD ,\nCMD ]\nRUN echo '[x]'\n",
  // A first argument that starts with the escape character: its first line's part can be empty.
  "FROM a\nRUN \\x\\\n['a']\nRUN \\[ 'a' ]\nCMD \\\n['a']\nCMD \\ \\\n  ['b']\n",
  "# escape=`\nFROM a\nRUN `x`\n['a']\nRUN `[ 'a' ]\nCMD ['c:\\a']\n",
  // Flags before the arguments.
  "FROM a\nRUN --mount=type=cache,target=/c ['a']\nCOPY --from=b ['a', '/b/']\nRUN --network=none\n",
  // Variables with modifiers, supported or not, in every kind of instruction.
  'FROM a\nARG A\nRUN echo ${A:?} ${A:x} ${A:} ${A-b}\nCMD echo ${A:x}\nENTRYPOINT ${A:}\n',
  'FROM a\nENV B=${A:x} C=${A:} D=${A:-d}\nLABEL l=${A:x}\nWORKDIR ${A:x}\nUSER ${A:}\nEXPOSE ${A:x}\n',
  'FROM a\nONBUILD RUN echo ${A:x}\nONBUILD ENV B=${A:x}\nSTOPSIGNAL ${A:x}\n',
  // Instructions without arguments, or with only whitespace or continuations.
  'FROM a\nRUN\nENV\nLABEL\nARG\nVOLUME\nWORKDIR\nENTRYPOINT\nCMD\nUSER\nSHELL\n',
  'FROM a\nRUN \\\n\nENV \\\n  \nARG  \nLABEL \\\n',
  // Properties across lines, quoted, with `=` in the name or missing quotes.
  'FROM a\nENV A=1 \\\n  B="two words" \\\n  C\nLABEL "x"=y \'z\'=w\nENV D 1 2 3\nARG E=1 F\nENV "G=1\n',
  // Empty continuation lines, heredocs, CRLF.
  "FROM a\nRUN echo a \\\n\n  b\nRUN <<EOF\n\necho\nEOF\r\nCMD ['a']\r\n",
];

for (const [i, text] of CASES.entries()) {
  test(`the validator's diagnostics are dockerfile-utils': case ${i + 1}`, () => assertSameDiagnostics(text));
}

test("the validator's diagnostics are dockerfile-utils' on generated files (property)", () => {
  const piece = fc.constantFrom(
    ' ',
    '\t',
    'a',
    '/b',
    '[',
    ']',
    "'",
    '"',
    ',',
    '\\',
    '`',
    '#',
    '$A',
    '${A:?}',
    '${A:x}',
    '${A:}',
    '=',
    '--from=b',
    '\n',
    '\r\n',
    '\\\n',
    '\\ \n',
    '<<EOF',
    'EOF',
  );
  const keyword = fc.constantFrom(
    'RUN',
    'CMD',
    'ENTRYPOINT',
    'VOLUME',
    'COPY',
    'ADD',
    'ENV',
    'LABEL',
    'ARG',
    'WORKDIR',
    'USER',
    'ONBUILD RUN',
    'run',
  );
  const line = fc.tuple(keyword, fc.array(piece, { maxLength: 10 }));
  fc.assert(
    fc.property(fc.boolean(), fc.array(line, { minLength: 1, maxLength: 4 }), (backtick, lines) => {
      const text =
        (backtick ? '# escape=`\n' : '') + 'FROM a\n' + lines.map(([k, p]) => `${k} ${p.join('')}`).join('\n');
      assertSameDiagnostics(text);
    }),
    { numRuns: 400 },
  );
});

/** The keywords of the instructions `name` of `prototype` is called on while `run` runs. */
function callers(prototype: object, name: string, run: () => void): string[] {
  const target = prototype as Record<string, (...args: unknown[]) => unknown>;
  const original = target[name]!;
  const keywords: string[] = [];
  target[name] = function (this: Instruction, ...args: unknown[]) {
    keywords.push(this.getKeyword());
    return original.apply(this, args);
  };
  try {
    run();
  } finally {
    target[name] = original;
  }
  return keywords;
}

test("a shell-form RUN's text is not rebuilt for the single-quote check, nor its variables listed", () => {
  const text = 'FROM a\nRUN echo $A \\\n  && echo ${B:x}\nCMD ["a"]\nCMD [\'b\']\nENTRYPOINT e $A\nENV C=$A\n';
  const run = () => utils.validate(text);
  // Only the two CMDs, which start with `[`, are read again.
  assert.deepEqual(callers(Instruction.prototype, 'getArgumentsContent', run), ['CMD', 'CMD']);
  const listed = callers(Instruction.prototype, 'getVariables', run);
  assert.ok(listed.includes('ENV'), listed.join());
  assert.ok(!listed.includes('RUN') && !listed.includes('ENTRYPOINT'), listed.join());
});

test('the argument check of an instruction that takes any number of arguments reports only a missing one', () => {
  // Every such call of dockerfile-utils passes a validator that takes nothing and returns null.
  const validator = new Validator() as unknown as {
    checkArguments(instruction: Instruction, problems: unknown[], expected: number[], validate: () => null): void;
  };
  const [env, label] = DockerfileParser.parse('FROM a\nENV A=1 B=2\nLABEL\n').getInstructions().slice(1);
  const problems: unknown[] = [];
  const refuse = () => {
    throw new Error('not asked when there are arguments');
  };
  validator.checkArguments(env!, problems, [-1], refuse);
  assert.deepEqual(problems, []);
  validator.checkArguments(label!, problems, [-1], refuse);
  assert.equal(problems.length, 1, 'LABEL without arguments');
});
