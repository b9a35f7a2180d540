import { Argument, Instruction } from 'dockerfile-ast';

/**
 * dockerfile-ast re-scans an instruction's text on every `getArguments()` / `getRawArguments()` call,
 * and calls them itself many times per instruction while parsing (flags, heredocs, variables, FROM
 * image parts), which made the scan half of a parse. An instruction is immutable (it reads a
 * snapshot of the text), so its raw arguments are computed once here; every call still gets its
 * own array of its own Argument objects and ranges, because dockerfile-ast changes what it gets
 * (shifts flags off the array; From.getImageNameRange() moves the start of the first argument's range).
 */
type RawArguments = () => Argument[];
const prototype = Instruction.prototype as unknown as { getRawArguments: RawArguments; [PATCHED]?: true };
const PATCHED = Symbol.for('docksmith.rawArgumentsMemo');
const CACHE = Symbol('docksmith.rawArguments');

if (!prototype[PATCHED]) {
  const scan = prototype.getRawArguments;
  prototype.getRawArguments = function (this: { [CACHE]?: Argument[] }): Argument[] {
    let args = this[CACHE];
    if (args === undefined) this[CACHE] = args = scan.call(this);
    return args.map((a) => {
      const { start, end } = a.getRange();
      return new Argument(a.getValue(), {
        start: { line: start.line, character: start.character },
        end: { line: end.line, character: end.character },
      });
    });
  };
  prototype[PATCHED] = true;
}
