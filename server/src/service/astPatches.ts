import { Argument, DockerfileParser, Instruction } from 'dockerfile-ast';

/**
 * dockerfile-ast re-scans an instruction's text on every `getArguments()` / `getRawArguments()` call,
 * and calls them itself many times per instruction while parsing (flags, heredocs, variables, FROM
 * image parts), which made the scan half of a parse. An instruction is immutable (it reads a
 * snapshot of the text), so its raw arguments are computed once here; every call still gets its
 * own array of its own Argument objects and ranges, because dockerfile-ast changes what it gets
 * (shifts flags off the array; From.getImageNameRange() moves the start of the first argument's range).
 */
type RawArguments = () => Argument[];
const prototype = Instruction.prototype as unknown as {
  getRawArguments: RawArguments;
  getKeyword: () => string;
  getHeredocs: () => unknown[];
  [PATCHED]?: true;
};
const PATCHED = Symbol.for('docksmith.rawArgumentsMemo');
const CACHE = Symbol('docksmith.rawArguments');
const KEYWORD = Symbol('docksmith.keyword');
const HEREDOCS = Symbol('docksmith.heredocs');
const RESOLVING = Symbol('docksmith.resolving');

if (!prototype[PATCHED]) {
  const scan = prototype.getRawArguments;
  prototype.getRawArguments = function (this: { [CACHE]?: Packed }): Argument[] {
    let packed = this[CACHE];
    if (packed === undefined) this[CACHE] = packed = pack(scan.call(this));
    return unpack(packed);
  };
  // `getKeyword()` upper-cases the instruction's name on every call, and every rule asks it of
  // every instruction: a new string each time. The name is set once, by the constructor.
  const keyword = prototype.getKeyword;
  prototype.getKeyword = function (this: { [KEYWORD]?: string }): string {
    return (this[KEYWORD] ??= keyword.call(this));
  };
  // `getHeredocs()` throws (reading a heredoc definition that is not there) when an unescaped line
  // break it does not expect sits inside an instruction, e.g. after a continued `\# comment` line.
  // Every rule that reads heredocs, and dockerfile-utils, then failed on the whole file. Such an
  // instruction has no heredoc that can be read: say so.
  // It also re-reads the instruction's text on every call (a RUN's scripts, dockerfile-utils and
  // several rules ask): the answer is kept per instruction, each caller gets its own array.
  const heredocs = prototype.getHeredocs;
  prototype.getHeredocs = function (this: { [HEREDOCS]?: readonly unknown[] }): unknown[] {
    let found = this[HEREDOCS];
    if (found === undefined) {
      try {
        found = heredocs.call(this);
      } catch {
        found = [];
      }
      this[HEREDOCS] = found;
    }
    return [...found];
  };
  // `Dockerfile.resolveVariable()` asks the image that contains the line, and for a line outside
  // every stage (between the instructions before the first FROM and the first FROM, say) that image
  // is the Dockerfile itself: it calls itself until the stack overflows. dockerfile-utils resolves
  // variables through it, so its validation of such a file threw. The second, nested call looks in
  // the image's own instructions, what the Dockerfile's base class does.
  type Resolve = (this: { [RESOLVING]?: boolean }, variable: string, line: number) => string | null | undefined;
  const dockerfile = Object.getPrototypeOf(DockerfileParser.parse('')) as { resolveVariable: Resolve };
  const inImage = (Object.getPrototypeOf(dockerfile) as { resolveVariable: Resolve }).resolveVariable;
  const inFile = dockerfile.resolveVariable;
  dockerfile.resolveVariable = function (variable, line) {
    if (this[RESOLVING]) return inImage.call(this, variable, line);
    this[RESOLVING] = true;
    try {
      return inFile.call(this, variable, line);
    } finally {
      this[RESOLVING] = false;
    }
  };
  prototype[PATCHED] = true;
}

/** Arguments as flat data: value, start line, start character, end line, end character, value, ... */
type Packed = readonly (string | number)[];

function pack(args: readonly Argument[]): Packed {
  const packed: (string | number)[] = [];
  for (const a of args) {
    const { start, end } = a.getRange();
    packed.push(a.getValue(), start.line, start.character, end.line, end.character);
  }
  return packed;
}

function unpack(packed: Packed): Argument[] {
  const args: Argument[] = [];
  for (let i = 0; i < packed.length; i += 5) {
    args.push(
      new Argument(packed[i] as string, {
        start: { line: packed[i + 1] as number, character: packed[i + 2] as number },
        end: { line: packed[i + 3] as number, character: packed[i + 4] as number },
      }),
    );
  }
  return args;
}
