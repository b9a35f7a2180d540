import { PropertyInstruction, type Instruction } from 'dockerfile-ast';
import { Validator } from 'dockerfile-utils/lib/dockerValidator';

/**
 * dockerfile-utils' validator does work on every instruction whose answer is known before it
 * starts, above all on RUN, the longest instructions of most files. Each patch here returns early
 * only where the library's own procedure ends without a diagnostic, and calls it otherwise, so the
 * diagnostics are the library's (test/unit/validatorPatches.test.ts compares them with an unpatched
 * copy of dockerfile-utils). docs/performance.md, "dockerfile-ast and dockerfile-utils, patched".
 */

/** The members of the validator patched here (private in its typings). */
interface PatchedValidator {
  checkArguments(
    instruction: Instruction,
    problems: unknown[],
    expectedArgCount: number[],
    validate: (...args: never[]) => unknown,
    createIncompleteDiagnostic?: unknown,
  ): void;
  checkVariables(instruction: Instruction, problems: unknown[]): void;
  checkJSONQuotes(instruction: Instruction, problems: unknown[]): void;
  [PATCHED]?: true;
}

/** An instruction as dockerfile-ast builds it: the escape character it was parsed with, its document. */
interface ParsedInstruction {
  readonly escapeChar: string;
  readonly document: { getText(): string; offsetAt(position: { line: number; character: number }): number };
}

const PATCHED = Symbol.for('docksmith.validatorPatches');
const prototype = Validator.prototype as unknown as PatchedValidator;

if (!prototype[PATCHED]) {
  // checkVariables() lists an instruction's variables (getVariables(): every argument read a
  // character at a time) to flag a `${VAR<modifier>}` the builder does not support, except in
  // RUN, CMD and ENTRYPOINT, where the shell expands them: for those three it never reports.
  const checkVariables = prototype.checkVariables;
  prototype.checkVariables = function (this: PatchedValidator, instruction, problems) {
    const keyword = instruction.getKeyword();
    if (keyword === 'RUN' || keyword === 'CMD' || keyword === 'ENTRYPOINT') return;
    checkVariables.call(this, instruction, problems);
  };

  // checkJSONQuotes() (CMD, ENTRYPOINT, RUN, VOLUME, COPY, ADD) looks for a JSON array written with
  // single quotes (`CMD ['a']`) in the arguments' text, which it first rebuilds from every line of the
  // instruction (getArgumentsContent(), a character at a time); its scan stops at the first
  // character unless that is a `[`. That text starts with the first argument's first character,
  // unless that is the escape character (an escaped first character can leave the first line's part
  // empty): only then, or at a `[`, is the library's check run.
  const checkJSONQuotes = prototype.checkJSONQuotes;
  prototype.checkJSONQuotes = function (this: PatchedValidator, instruction, problems) {
    const args = instruction.getArguments();
    if (args.length === 0) return; // getArgumentsContent() is null: the library returns too
    const { document, escapeChar } = instruction as unknown as ParsedInstruction;
    const first = document.getText().charAt(document.offsetAt(args[0]!.getRange().start));
    if (first !== '[' && first !== escapeChar) return;
    checkJSONQuotes.call(this, instruction, problems);
  };
  // checkArguments() with `[-1]` (any number of arguments) calls its validator with every argument's
  // value and range (a new range each, for an argument on one line), or reports a missing argument.
  // Every such call of the library passes a validator that takes nothing and returns null (RUN, ENV,
  // LABEL, ARG, ENTRYPOINT, VOLUME, WORKDIR, ...): with at least one argument there is nothing to report.
  const checkArguments = prototype.checkArguments;
  prototype.checkArguments = function (this: PatchedValidator, instruction, problems, expected, validate, incomplete) {
    if (expected.length === 1 && expected[0] === -1 && validate.length === 0) {
      const args =
        instruction instanceof PropertyInstruction ? instruction.getPropertyArguments() : instruction.getArguments();
      if (args.length > 0) return;
    }
    checkArguments.call(this, instruction, problems, expected, validate, incomplete);
  };
  prototype[PATCHED] = true;
}
