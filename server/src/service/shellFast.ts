import type { ShNode } from './shell';

/**
 * A parser for the simplest shell scripts, the bulk of what RUN instructions hold: commands of plain
 * words, quoted strings and `$VAR` / `${VAR}` / `${VAR:-word}` / `${VAR%%.*}` / `$?` / `$1`
 * expansions, joined by `&&`, `||`, `|`, `;` and line breaks, with trailing file redirects (`> file`,
 * `2>&1`, `&>/dev/null`), assignments before a command or alone (`A=1 make`, `A=1`), `export
 * NAME=value ...` (and `local`, `readonly`, `declare`, `typeset`, `unset`), background jobs (`a &`),
 * and command substitutions of the same (`$(...)`, `` `...` ``); escaped characters (`\;`, `\$`)
 * and braces inside words (`{}`, `a/{b,c}`) included; and comments (outside `$(...)`), `if ... then
 * ... elif ... else ... fi`, `for NAME in ...; do ... done`, `while` / `until` loops, `case WORD in
 * PATTERN|PATTERN) ... ;; esac`, function definitions (`f() { ...; }`), blocks (`{ a; b; }`,
 * `{ ...; } > file`), subshells (`( cd a && make )`), negated commands (`! a b`) and tests of one or
 * two operands (`[ -f file ]`, `[ "$A" = "b" ]`, `[ $A == x86_64 ]`, `[ $N -eq 1 ]`, `[ "$A" ]`,
 * `[ ! -z "$A" ]`).
 * It builds exactly the tree tree-sitter-bash builds for the same text (node types, fields, ranges,
 * anonymous tokens and their quirks), without a call into WebAssembly or a copy of its tree.
 * Anything else (other keywords: `select`, `function`, ...; `$((`, heredocs, `[[`, a line break
 * inside quotes, an escaped blank or line break, the places where tree-sitter-bash's tree departs
 * from its grammar and varies, ...) makes it give up, and the script goes to tree-sitter.
 * `test/unit/shellFast.test.ts` compares the two.
 */
export function parseSimpleScript(text: string): ShNode | undefined {
  try {
    return new SimpleParser(text).program();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

/** Thrown where the text leaves the subset this parser knows. */
const GIVE_UP = new Error('not a simple script');

type Node = { -readonly [K in keyof ShNode]: ShNode[K] };

const NO_CHILDREN: readonly ShNode[] = Object.freeze([]);

/** Characters of a plain word (tree-sitter-bash's `word` token for them, never anything else). */
const WORD = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:@%+,=~-*!')
  WORD[c.charCodeAt(0)] = 1;
/** Characters of a variable name after its first. */
const NAME = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_') NAME[c.charCodeAt(0)] = 1;

/**
 * Characters of a word after a third `$NAME` at which tree-sitter-bash splits the word (`:`, `@`, `%`
 * and `=` it keeps in it: see literal()).
 */
const SPLITS_AFTER_NAME = new Uint8Array(128);
for (const c of './+,~-*!') SPLITS_AFTER_NAME[c.charCodeAt(0)] = 1;

/** Characters of the default value of a `${NAME:-default}` expansion that this parser reads. */
const DEFAULT = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:') DEFAULT[c.charCodeAt(0)] = 1;
/** ... of one that does not start with a name's character (`${A:+--enable-x}`, `${A:-/a-b}`). */
const DEFAULT_WORD = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:-')
  DEFAULT_WORD[c.charCodeAt(0)] = 1;
/** Characters of a pattern to remove (`${A%%.*}`, `${A##*-}`, `${A%~*}`) this parser reads. */
const REMOVED = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:*@+,=-[]~')
  REMOVED[c.charCodeAt(0)] = 1;

/** Words that mean something else in command position (tree-sitter-bash gives them their own nodes). */
const RESERVED = new Set(
  (
    'if then else elif fi for in while until do done case esac function select time coproc ' +
    'export declare local readonly typeset unset unsetenv'
  ).split(' '),
);

const SPACE = 32;
const TAB = 9;
const NEWLINE = 10;
const QUOTE = 34; // "
const APOSTROPHE = 39; // '
const DOLLAR = 36;
const AMPERSAND = 38;
const PIPE = 124;
const SEMICOLON = 59;
const GREATER = 62;
const LESS = 60;
const BRACE_OPEN = 123;
const BRACE_CLOSE = 125;
const COLON = 58;
const SLASH = 47;
const DOT = 46;
const MINUS = 45;
const EQUALS = 61;
const PLUS = 43;
const PERCENT = 37;
const BACKSLASH = 92;
const PAREN_OPEN = 40;
const PAREN_CLOSE = 41;
const BACKQUOTE = 96;
const CARRIAGE_RETURN = 13;
const HASH = 35;
const BANG = 33;
const BRACKET_OPEN = 91;
const BRACKET_CLOSE = 93;
const QUESTION = 63;

/**
 * `$?`, `$$`, `$#`, `$@`, `$*`, `$!`: the special parameters read alone (see expansion()); `$-` is
 * read otherwise after other parts (`""a$- b:c` has a `$- b`).
 */
const SPECIAL = new Uint8Array(128);
for (const c of '?$#@*!') SPECIAL[c.charCodeAt(0)] = 1;

/** Unary test operators (`[ -f file ]`) this parser reads; tree-sitter-bash reads others otherwise. */
const UNARY_TESTS = new Set('-n -z -e -f -d -x -s -r -w -L -h -a -b -c -g -G -k -N -O -p -S -t -u -o -v'.split(' '));
/** Binary test operators of the test_operator kind (a named node), and of the token kind. */
const NUMERIC_TESTS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);
const STRING_TESTS = new Set(['=', '!=', '==']);
/** Operands of a test this parser reads. */
const TEST_OPERANDS = new Set([
  'string',
  'raw_string',
  'simple_expansion',
  'expansion',
  'word',
  'number',
  'concatenation',
]);

/** What a `case` may test (`case "$A" in`), and the characters of a bare pattern of its items. */
const CASE_VALUES = new Set(['string', 'raw_string', 'simple_expansion', 'expansion', 'word']);
const PATTERN = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./*-') PATTERN[c.charCodeAt(0)] = 1;

/** A variable's name (what `export`, `local` and `unset` take as such). */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether a literal is or holds a brace word (`{`, `}`), as `A={a}` would. */
function hasBraceWord(node: Node): boolean {
  const brace = (n: ShNode) => n.type === 'word' && (n.text === '{' || n.text === '}');
  return brace(node) || (node.type === 'concatenation' && node.children.some(brace));
}

/**
 * Whether tree-sitter-bash reads `name` as this parser does, as a command's name: a plain word (not
 * `NAME=value`, which starts with an assignment; not `if`, `export`, ..., statements of their own; not
 * a name followed by `@`, `%` or `+`, `a@`, `a+:`, an error there; not a lone `-` before a redirect,
 * nothing there; after an assignment, not `a:`, an error there), or an expansion, a quoted string, or
 * such parts written together with words of `[\w./-]` (`$JAVA_HOME/bin/java`, `"$CMD"`).
 */
const EXPANDED_OR_QUOTED = new Set(['simple_expansion', 'expansion', 'string', 'raw_string']);

function isCommandName(name: Node, afterAssignment: boolean): boolean {
  switch (name.type) {
    case 'word':
    case 'number':
      return (
        !/[=@%+{}]/.test(name.text) &&
        !RESERVED.has(name.text) &&
        name.text !== '-' &&
        (!afterAssignment || /^[\w./-]+$/.test(name.text))
      );
    case 'concatenation':
      // `export"a"` is a declaration, `if"a"` an error to tree-sitter-bash
      if (RESERVED.has(name.children[0]!.text)) return false;
      return name.children.every((part) =>
        part.type === 'word' ? /^[\w./-]+$/.test(part.text) : EXPANDED_OR_QUOTED.has(part.type),
      );
    default:
      return EXPANDED_OR_QUOTED.has(name.type);
  }
}

/** Whether the character code `c` (-1 at the end of the text) is in the ASCII `table`. */
function inTable(table: Uint8Array, c: number): boolean {
  return c >= 0 && c < 128 && table[c] === 1;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

class SimpleParser {
  private pos = 0;
  /** Whether the statement just read ends with a pipeline of three commands or more. */
  private endsInLongPipeline = false;
  /** How many command substitutions the parser is in. */
  private depth = 0;
  /** What ends the command substitution or subshell being read: `)`, or a backquote. */
  private closer = PAREN_CLOSE;
  /** `case` statements being read: a `;;` then ends the statements of an item. */
  private caseDepth = 0;

  /** Whether the text has a `()` anywhere: a function definition needs one (most scripts have none). */
  private readonly parentheses: boolean;

  constructor(private readonly text: string) {
    this.parentheses = text.includes('()');
  }

  private node(type: string, named: boolean, start: number, end: number, children: Node[] = []): Node {
    const node: Node = {
      type,
      named,
      field: undefined,
      start,
      end,
      text: this.text.slice(start, end),
      children: children.length > 0 ? children : NO_CHILDREN,
      parent: undefined,
      isError: false,
      isMissing: false,
    };
    for (let i = 0; i < children.length; i++) children[i]!.parent = node;
    return node;
  }

  private code(at = this.pos): number {
    return at < this.text.length ? this.text.charCodeAt(at) : -1;
  }

  private skipBlanks(): void {
    for (let c = this.code(); c === SPACE || c === TAB; c = this.code()) this.pos++;
  }

  private skipWhitespace(): void {
    for (let c = this.code(); c === SPACE || c === TAB || c === NEWLINE; c = this.code()) this.pos++;
  }

  private token(type: string, length: number, field?: string): Node {
    const token = this.node(type, false, this.pos, this.pos + length);
    token.field = field;
    this.pos += length;
    return token;
  }

  program(): Node {
    const children: Node[] = [];
    this.skipWhitespace();
    const start = this.pos;
    this.statements(children);
    if (children.length === 0) return this.node('program', true, this.text.length, this.text.length);
    return this.node('program', true, start, this.text.length, children);
  }

  /**
   * Statements separated by `;` (a token of the tree) and line breaks (none), and comments (nodes of
   * their own), up to the end of the text, or of a command substitution (`depth` > 0) at its `)`, or
   * to one of the keywords in `ends` (`then`, `fi`, ... of the compound statement being read).
   */
  private statements(children: Node[], ends: readonly string[] = []): void {
    const closing = () => this.depth > 0 && this.code() === this.closer;
    while (this.pos < this.text.length && !closing()) {
      if (this.code() === HASH) {
        if (this.depth > 0) throw GIVE_UP;
        children.push(this.comment());
        this.skipWhitespace();
        continue;
      }
      if (ends.some((keyword) => this.atKeyword(keyword)) || this.atCaseItemEnd()) return;
      children.push(this.list());
      this.skipBlanks();
      let c = this.code();
      if (this.atCaseItemEnd()) return;
      if (c === SEMICOLON) {
        if (this.code(this.pos + 1) === SEMICOLON) throw GIVE_UP;
        children.push(this.token(';', 1));
      } else if (c === AMPERSAND) {
        // a background job (`gzserver & npm start`); `&;` and the like are errors there
        const next = this.code(this.pos + 1);
        if (next === SEMICOLON || next === AMPERSAND || next === PIPE) throw GIVE_UP;
        children.push(this.token('&', 1));
      } else if (c === HASH) {
        if (this.endsInLongPipeline || this.depth > 0) throw GIVE_UP;
        children.push(this.comment());
        c = this.code();
        if (c === NEWLINE) this.pos++;
      } else if (c === NEWLINE) this.pos++;
      else if (c !== -1 && !closing()) throw GIVE_UP;
      this.skipWhitespace();
      // After a pipeline of three commands and a line break, tree-sitter-bash may join the next line
      // to it (`a | b | c` + `d > f` reads `c d` with the redirect on `b | c d`).
      if (c === NEWLINE && this.endsInLongPipeline && this.pos < this.text.length) throw GIVE_UP;
    }
    if (ends.length > 0) throw GIVE_UP; // the compound statement is not closed
  }

  /** `# ...` to the end of the line (the line break not included). */
  private comment(): Node {
    let end = this.text.indexOf('\n', this.pos);
    if (end < 0) end = this.text.length;
    if (this.text.slice(this.pos, end).includes('\r')) throw GIVE_UP;
    const comment = this.node('comment', true, this.pos, end);
    this.pos = end;
    return comment;
  }

  /** Whether the reserved word `keyword` is here, as a word of its own. */
  private atKeyword(keyword: string): boolean {
    if (!this.text.startsWith(keyword, this.pos)) return false;
    const after = this.code(this.pos + keyword.length);
    return (
      after === -1 ||
      after === SPACE ||
      after === TAB ||
      after === NEWLINE ||
      after === SEMICOLON ||
      (after === this.closer && this.depth > 0)
    );
  }

  /** `$(...)` of simple statements (any blanks before the `$` are part of its token, as in expansion()). */
  private substitution(): Node {
    const start = this.pos;
    const dollar = this.blankEnd();
    if (this.code(dollar + 2) === PAREN_OPEN) throw GIVE_UP; // $(( arithmetic
    this.pos = dollar + 2;
    const children = [this.node('$(', false, start, this.pos)];
    this.skipWhitespace();
    if (this.code() === PAREN_CLOSE) throw GIVE_UP; // `$()` is an empty command there
    if (this.depth >= 32) throw GIVE_UP; // this parser recurses per level: deeper nesting is left to tree-sitter
    this.nested(PAREN_CLOSE, () => this.statements(children));
    if (this.code() !== PAREN_CLOSE) throw GIVE_UP;
    if (children[children.length - 1]!.type === ';') throw GIVE_UP; // `$(a;)`
    children.push(this.token(')', 1));
    return this.node('command_substitution', true, start, this.pos, children);
  }

  /** Runs `read` one substitution or subshell deeper, which `closer` ends. */
  private nested(closer: number, read: () => void): void {
    const outer = this.closer;
    this.depth++;
    this.closer = closer;
    try {
      read();
    } finally {
      this.depth--;
      this.closer = outer;
    }
  }

  /**
   * `` `LIST` ``, a command substitution in backquotes (any blanks before it are part of its first
   * token, as for `$(`): one without backslashes inside (they escape more there), not empty, that
   * starts with no blank and ends with no `;`, and is not followed by another (see below).
   */
  private backquoted(): Node {
    const start = this.pos;
    const open = this.blankEnd();
    if (this.code(open) !== BACKQUOTE) throw GIVE_UP;
    const close = this.text.indexOf('`', open + 1);
    if (close < 0 || this.text.slice(open + 1, close).includes('\\')) throw GIVE_UP;
    this.pos = open + 1;
    const children = [this.node('`', false, start, this.pos)];
    // (blanks first are an error to tree-sitter-bash in places: `` export ` a`b ``)
    const first = this.code();
    if (first === SPACE || first === TAB || first === NEWLINE || first === BACKQUOTE || this.depth >= 32) throw GIVE_UP;
    this.nested(BACKQUOTE, () => this.statements(children));
    if (this.code() !== BACKQUOTE || children[children.length - 1]!.type === ';') throw GIVE_UP;
    children.push(this.token('`', 1));
    // (`` `b` `d` ``: tree-sitter-bash reads the two backquotes and the blanks between as one token)
    if (this.code(this.blankEnd()) === BACKQUOTE) throw GIVE_UP;
    return this.node('command_substitution', true, start, this.pos, children);
  }

  /**
   * Commands joined by `|` (pipelines) and then by `&&` and `||` (lists, left to right). A redirect
   * after a command applies, in tree-sitter-bash's tree, to all of the statement before it
   * (`a && b > f` is `(a && b) > f`), which then starts a new pipeline.
   */
  private list(): Node {
    let left: Node | undefined;
    let operator: Node | undefined;
    let pipe: Node[] = [];
    const pipeline = (): Node => this.pipeline(pipe);
    const statement = (): Node => {
      const right = pipeline();
      return left ? this.node('list', true, left.start, right.end, [left, operator!, right]) : right;
    };
    // The pipelines and operators of a list that starts with a pipeline of three commands or more
    // then `&&` or `||`, read as tree-sitter-bash reads them once the list ends (absorbed()).
    let chain: { pipe: Node[]; operator?: Node }[] | undefined;
    for (;;) {
      const { command, redirects } = this.command();
      pipe.push(command);
      // tree-sitter-bash's trees of pipelines of three commands or more followed by a redirect vary:
      // left to it.
      const long = pipe.length >= 5;
      if (redirects.length > 0) {
        if (long || chain) throw GIVE_UP;
        const body = statement();
        body.field = 'body';
        for (const redirect of redirects) redirect.field = 'redirect';
        const end = redirects[redirects.length - 1]!.end;
        pipe = [this.node('redirected_statement', true, body.start, end, [body, ...redirects])];
        left = operator = undefined;
      }
      this.skipBlanks();
      const c = this.code();
      const next = this.code(this.pos + 1);
      if (c === PIPE && next !== PIPE) {
        if (next === AMPERSAND) throw GIVE_UP; // |&
        pipe.push(this.token('|', 1));
      } else if ((c === AMPERSAND && next === AMPERSAND) || (c === PIPE && next === PIPE)) {
        if (chain || (long && !left)) {
          (chain ??= []).push({ pipe, operator: this.token(c === AMPERSAND ? '&&' : '||', 2) });
        } else {
          // (after other operands, tree-sitter-bash's tree of such a pipeline varies: left to it)
          if (long) throw GIVE_UP;
          left = statement();
          operator = this.token(c === AMPERSAND ? '&&' : '||', 2);
        }
        pipe = [];
      } else {
        this.endsInLongPipeline = long;
        if (!chain) return statement();
        chain.push({ pipe });
        return this.absorbed(chain);
      }
      this.skipWhitespace();
    }
  }

  /** Commands joined by `|` (and the `|` tokens): a pipeline of them, or the one command. */
  private pipeline(pipe: Node[]): Node {
    return pipe.length === 1 ? pipe[0]! : this.node('pipeline', true, pipe[0]!.start, pipe[pipe.length - 1]!.end, pipe);
  }

  /**
   * A list whose first pipeline has three commands or more, then `&&` or `||`, as tree-sitter-bash
   * (a GLR parser) reads it: each operand after it takes one more command off the pipeline's front,
   * as long as two are left: `a | b | c && d` is `a | ((b | c) && d)`, `a | b | c | d && e && f` is
   * `a | ((b | ((c | d) && e)) && f)`; the operands after those join the list as usual
   * (`a | b | c && d && e` is `(a | ((b | c) && d)) && e`). Where another pipeline of three commands
   * or more is an operand, its tree varies (`d | e | f && g` may take the `g` or leave it): left to
   * tree-sitter-bash. `chain`: each pipeline (commands and `|`) and the operator after it.
   */
  private absorbed(chain: readonly { pipe: Node[]; operator?: Node }[]): Node {
    const pipelineOf = (pipe: Node[]): Node => {
      if (pipe.length >= 5) throw GIVE_UP;
      return this.pipeline(pipe);
    };
    const { pipe } = chain[0]!;
    // Operands 1..depth nest into the pipeline; the innermost keeps its last two commands.
    const depth = Math.min((pipe.length + 1) / 2 - 2, chain.length - 1);
    const innermost = pipe.slice(2 * depth);
    let node = this.pipeline(innermost);
    for (let j = 1; j <= depth; j++) {
      const right = pipelineOf(chain[j]!.pipe);
      const list = this.node('list', true, node.start, right.end, [node, chain[j - 1]!.operator!, right]);
      const at = 2 * (depth - j); // the command that takes this operand's list, and the `|` after it
      node = this.node('pipeline', true, pipe[at]!.start, list.end, [pipe[at]!, pipe[at + 1]!, list]);
    }
    for (let i = depth + 1; i < chain.length; i++) {
      const right = pipelineOf(chain[i]!.pipe);
      node = this.node('list', true, node.start, right.end, [node, chain[i - 1]!.operator!, right]);
    }
    return node;
  }

  /**
   * A command, and the file redirects that follow it; or `export NAME=value ...`; or assignments
   * alone (`A=1`, `A=1 B=2`).
   */
  private command(): { command: Node; redirects: Node[] } {
    const start = this.pos;
    const next = this.code(this.pos + 1);
    if (this.code() === BANG && (next === SPACE || next === TAB)) return this.negation();
    const compound = this.compoundCommand();
    if (compound) {
      const redirectable = compound.type === 'compound_statement' || compound.type === 'subshell';
      return { command: compound, redirects: redirectable ? this.redirects() : [] };
    }
    if (this.atRedirect()) throw GIVE_UP; // a redirect before the command name
    const assignments: Node[] = [];
    while (this.assignmentLength() > 0) {
      assignments.push(this.assignment());
      this.skipBlanks();
    }
    if (assignments.length > 0 && this.atEnd()) {
      // tree-sitter-bash joins `A=1 B=2` to a command on the next line (a comment in between too).
      if (assignments.length > 1 && (this.code() === NEWLINE || this.code() === HASH)) throw GIVE_UP;
      const alone =
        assignments.length === 1
          ? assignments[0]!
          : this.node('variable_assignments', true, start, assignments[assignments.length - 1]!.end, assignments);
      return { command: alone, redirects: [] };
    }
    if (assignments.length === 0) {
      const keyword = /^(?:export|local|readonly|declare|typeset)(?=[ \t])/.exec(
        this.text.slice(this.pos, this.pos + 9),
      )?.[0];
      if (keyword) return { command: this.declaration(keyword), redirects: [] };
      if (/^unset[ \t]/.test(this.text.slice(this.pos, this.pos + 6))) return { command: this.unset(), redirects: [] };
    }
    const name = this.literal();
    // (a `!` alone there, not followed by a blank, is an error to tree-sitter-bash)
    if (!isCommandName(name, assignments.length > 0) || name.text === '!') throw GIVE_UP;
    const commandName = this.node('command_name', true, name.start, name.end, [name]);
    commandName.field = 'name';
    const children = [...assignments, commandName];
    const redirects: Node[] = [];
    for (;;) {
      this.skipBlanks();
      if (this.atEnd()) break;
      if (this.atRedirect()) {
        redirects.push(this.redirect());
        continue;
      }
      // (a lone `!`, `find . ! -name x`, is a word there as `!` in any word is)
      const argument = this.literal(true);
      // tree-sitter-bash reads `==` and `=~` as test operators, and `} }` and `} {` as one word.
      if (argument.text.startsWith('==') || argument.text.startsWith('=~')) throw GIVE_UP;
      const braceAfter = this.code(this.blankEnd());
      if (argument.text === '}' && (braceAfter === BRACE_CLOSE || braceAfter === BRACE_OPEN)) throw GIVE_UP;
      argument.field = 'argument';
      children.push(argument);
    }
    return { command: this.node('command', true, start, children[children.length - 1]!.end, children), redirects };
  }

  /** Where the characters of a variable name after its first, from `at`, end. */
  private nameEnd(at: number): number {
    while (inTable(NAME, this.code(at))) at++;
    return at;
  }

  /** The length of `NAME=` here, or 0. */
  private assignmentLength(): number {
    if (!isNameStart(this.code())) return 0;
    const at = this.nameEnd(this.pos + 1);
    if (this.code(at) !== EQUALS) return 0;
    if (at === this.pos + 1 && this.code() === 95) throw GIVE_UP; // `_=` is a word to tree-sitter-bash
    return at + 1 - this.pos;
  }

  /** `NAME=value` (the value may be empty). */
  private assignment(): Node {
    const start = this.pos;
    const length = this.assignmentLength();
    const name = this.node('variable_name', true, start, start + length - 1);
    name.field = 'name';
    this.pos += length - 1;
    const children = [name, this.token('=', 1)];
    const c = this.code();
    if (!(c === -1 || c === SPACE || c === TAB || c === NEWLINE || c === SEMICOLON || c === PIPE || c === AMPERSAND)) {
      const value = this.literal();
      // tree-sitter-bash reads some values otherwise (`A==`, `A=-$B`): only words, numbers, quotes,
      // expansions, and of those that start with `-` only words (`A=-x`, `A=--static`).
      if (value.text.startsWith('=') || (value.text.startsWith('-') && value.type !== 'word') || hasBraceWord(value))
        throw GIVE_UP;
      value.field = 'value';
      children.push(value);
    }
    return this.node('variable_assignment', true, start, this.pos, children);
  }

  /** `unset NAME ...`, options (`-v`) before the names. */
  private unset(): Node {
    const start = this.pos;
    const children = [this.token('unset', 5)];
    for (;;) {
      this.skipBlanks();
      if (this.atEnd()) break;
      const word = this.literal();
      if (word.type !== 'word') throw GIVE_UP;
      if (VARIABLE_NAME.test(word.text)) word.type = 'variable_name';
      else if (!/^-[a-z]+$/.test(word.text)) throw GIVE_UP;
      children.push(word);
    }
    if (children.length === 1) throw GIVE_UP;
    return this.node('unset_command', true, start, children[children.length - 1]!.end, children);
  }

  /** `export NAME=value NAME ...` (`local`, `readonly`, `declare`, `typeset`; no flags). */
  private declaration(keyword: string): Node {
    const start = this.pos;
    const children = [this.token(keyword, keyword.length)];
    for (;;) {
      this.skipBlanks();
      if (this.atEnd()) break;
      if (this.assignmentLength() > 0) children.push(this.assignment());
      else {
        const name = this.literal();
        if (name.type === 'word') {
          if (!VARIABLE_NAME.test(name.text)) throw GIVE_UP;
          name.type = 'variable_name';
        } else if (name.type === 'concatenation' && name.children[0]!.type === 'word') {
          throw GIVE_UP; // `export A$B` is a name, then an expansion, to tree-sitter-bash
        }
        // anything else (`export $(grep ... | xargs)`, `export "$A"`) as it is
        children.push(name);
      }
    }
    if (children.length === 1) throw GIVE_UP;
    return this.node('declaration_command', true, start, children[children.length - 1]!.end, children);
  }

  /** Whether the statement ends here (the end, a line break or an operator). */
  private atEnd(): boolean {
    const c = this.code();
    return (
      c === -1 ||
      (c === this.closer && this.depth > 0) ||
      c === NEWLINE ||
      c === SEMICOLON ||
      c === PIPE ||
      // `&&`, or `&` that runs the statement in the background (not `&>`, a redirect)
      (c === AMPERSAND && this.code(this.pos + 1) !== GREATER) ||
      (c === HASH && this.depth === 0 && (this.code(this.pos - 1) === SPACE || this.code(this.pos - 1) === TAB))
    );
  }

  /** The length of the redirect operator here (after an optional descriptor), or 0. */
  private operatorLength(at: number): number {
    const c = this.code(at);
    const next = this.code(at + 1);
    if (c === GREATER) {
      if (next === GREATER || next === AMPERSAND)
        return this.code(at + 2) === GREATER || this.code(at + 2) === AMPERSAND || this.code(at + 2) === 40 ? -1 : 2;
      if (next === PIPE || next === 40) return -1; // >| and >( are left to tree-sitter
      return 1;
    }
    if (c === LESS) return next === LESS || next === AMPERSAND || next === 40 || next === GREATER ? -1 : 1;
    if (c === AMPERSAND && next === GREATER) {
      // `&>` and `&>>` (stdout and stderr); `&>&`, `&>(`, `&>|` are left to tree-sitter.
      const after = this.code(at + 2);
      if (after === GREATER) return this.operatorLength(at + 1) === 2 ? 3 : -1;
      return after === AMPERSAND || after === 40 || after === PIPE ? -1 : 2;
    }
    return 0;
  }

  private atRedirect(): boolean {
    let at = this.pos;
    while (isDigit(this.code(at))) at++;
    const length = this.operatorLength(at);
    if (length < 0) throw GIVE_UP;
    // (a `&` after digits, `1&`, is left: `1&>f` is an argument `1` then `&>f` to tree-sitter-bash)
    if (length === 0 && at > this.pos && this.code(at) === AMPERSAND) throw GIVE_UP;
    return length > 0;
  }

  /** The redirects after a block (`{ ...; } > file`). */
  private redirects(): Node[] {
    const redirects: Node[] = [];
    for (;;) {
      const before = this.pos;
      this.skipBlanks();
      if (!this.atRedirect()) {
        this.pos = before;
        return redirects;
      }
      redirects.push(this.redirect());
    }
  }

  /** `[n]>` / `>>` / `>&` / `<` and every literal up to the next redirect or the end of the statement. */
  private redirect(): Node {
    const start = this.pos;
    const children: Node[] = [];
    let at = this.pos;
    while (isDigit(this.code(at))) at++;
    if (at > this.pos) {
      // One digit; `0>` is a number and a `>` in tree-sitter-bash's tree, `1&>` a number and a `&>`.
      if (at - this.pos > 1 || this.code() === 48 || this.code(at) === AMPERSAND) throw GIVE_UP;
      children.push(this.token('file_descriptor', at - this.pos, 'descriptor'));
      children[0]!.named = true;
    }
    const length = this.operatorLength(this.pos);
    children.push(this.token(this.text.slice(this.pos, this.pos + length), length));
    if (length === 2 && this.code(this.pos - 1) === AMPERSAND && this.code() === MINUS) throw GIVE_UP; // >&- closes
    this.skipBlanks();
    for (;;) {
      if (this.atEnd() || this.atRedirect()) break;
      const destination = this.literal();
      // tree-sitter-bash reads a brace after a redirect with what follows (`>&} {a` has `} {` as a word).
      if (hasBraceWord(destination)) throw GIVE_UP;
      destination.field = 'destination';
      children.push(destination);
      this.skipBlanks();
    }
    if (children[children.length - 1]!.field !== 'destination') throw GIVE_UP;
    return this.node('file_redirect', true, start, children[children.length - 1]!.end, children);
  }

  /**
   * `if`, `for`, `case`, `[ ... ]`, `{ ...; }` or `( ... )` here, or undefined; only the forms whose
   * tree this parser knows to be tree-sitter-bash's.
   */
  private compoundCommand(): Node | undefined {
    const c = this.code();
    const next = this.code(this.pos + 1);
    const blank = next === SPACE || next === TAB;
    if (c === BRACKET_OPEN && blank) return this.testCommand();
    if (c === BRACE_OPEN && (blank || next === NEWLINE)) return this.block();
    if (this.atKeyword('if')) return this.ifStatement();
    if (this.atKeyword('for')) return this.forStatement();
    if (this.atKeyword('while') || this.atKeyword('until')) return this.whileStatement();
    if (this.atKeyword('case')) return this.caseStatement();
    if (c === PAREN_OPEN) return this.subshell();
    if (!this.parentheses) return undefined;
    const name = /^[A-Za-z_][A-Za-z0-9_]*(?=\(\))/.exec(this.text.slice(this.pos, this.pos + 64))?.[0];
    if (name && !RESERVED.has(name)) return this.functionDefinition(name);
    return undefined;
  }

  /** `NAME() { LIST }` (the body a block, on the same line or the next). */
  private functionDefinition(name: string): Node {
    const start = this.pos;
    const word = this.node('word', true, start, start + name.length);
    word.field = 'name';
    this.pos += name.length;
    const children = [word, this.token('(', 1), this.token(')', 1)];
    this.skipWhitespace();
    const next = this.code(this.pos + 1);
    if (this.code() !== BRACE_OPEN || !(next === SPACE || next === TAB || next === NEWLINE)) throw GIVE_UP;
    const body = this.block();
    body.field = 'body';
    children.push(body);
    return this.node('function_definition', true, start, this.pos, children);
  }

  /** `( LIST )`, read as the list of a `$(...)` is (a `)` ends it). */
  private subshell(): Node {
    const start = this.pos;
    if (this.code(this.pos + 1) === PAREN_OPEN) throw GIVE_UP; // (( arithmetic
    const children = [this.token('(', 1)];
    if (this.depth >= 32) throw GIVE_UP;
    this.nested(PAREN_CLOSE, () => {
      this.skipWhitespace();
      if (this.code() === PAREN_CLOSE) throw GIVE_UP;
      this.statements(children);
    });
    if (this.code() !== PAREN_CLOSE) throw GIVE_UP;
    children.push(this.token(')', 1));
    // `(a)b` is an error to tree-sitter-bash: a subshell ends its statement.
    if (!this.atEnd() && !this.endsLiteral(this.code())) throw GIVE_UP;
    return this.node('subshell', true, start, this.pos, children);
  }

  /** Whether the `;;` that ends a case item is here. */
  private atCaseItemEnd(): boolean {
    return this.caseDepth > 0 && this.code() === SEMICOLON && this.code(this.pos + 1) === SEMICOLON;
  }

  /**
   * `case WORD in PATTERN[|PATTERN]...) LIST ;; ... esac`, every item ended by `;;`. tree-sitter-bash
   * gives each `;;` the field `termination`, but the last item's.
   */
  private caseStatement(): Node {
    const start = this.pos;
    const children = [this.token('case', 4)];
    this.skipBlanks();
    const value = this.literal();
    if (!CASE_VALUES.has(value.type)) throw GIVE_UP;
    value.field = 'value';
    children.push(value);
    this.skipBlanks();
    children.push(this.keyword('in'));
    this.skipWhitespace();
    const items: Node[] = [];
    this.caseDepth++;
    try {
      while (!this.atKeyword('esac')) {
        items.push(this.caseItem());
        this.skipWhitespace();
      }
    } finally {
      this.caseDepth--;
    }
    if (items.length === 0) throw GIVE_UP;
    for (const item of items.slice(0, -1)) (item.children[item.children.length - 1] as Node).field = 'termination';
    children.push(...items, this.keyword('esac'));
    return this.node('case_statement', true, start, this.pos, children);
  }

  /** `PATTERN[|PATTERN]...) LIST ;;` (the list may be empty). */
  private caseItem(): Node {
    const start = this.pos;
    const children: Node[] = [];
    for (;;) {
      const pattern = this.casePattern();
      pattern.field = 'value';
      children.push(pattern);
      if (this.code() === PAREN_CLOSE) break;
      if (this.code() !== PIPE || this.code(this.pos + 1) === PIPE) throw GIVE_UP;
      children.push(this.token('|', 1));
      this.skipBlanks();
    }
    children.push(this.token(')', 1));
    this.skipWhitespace();
    this.statements(children, ['esac']);
    if (!this.atCaseItemEnd()) throw GIVE_UP; // `esac` without `;;`, `;&`, `;;&`
    if (this.code(this.pos + 2) === AMPERSAND) throw GIVE_UP;
    children.push(this.token(';;', 2));
    return this.node('case_item', true, start, this.pos, children);
  }

  /**
   * A pattern of a case item and the blanks after it: quoted, an expansion, or a bare pattern of
   * `[\w.*-]` that starts with a letter or `*`, an `extglob_pattern` or a `word` as tree-sitter-bash's
   * scanner decides (scanExtglob()).
   */
  private casePattern(): Node {
    const c = this.code();
    if (c === QUOTE) return this.string();
    if (c === APOSTROPHE) return this.rawString();
    if (c === DOLLAR) {
      if (this.code(this.pos + 1) === PAREN_OPEN) throw GIVE_UP;
      return this.expansion();
    }
    const start = this.pos;
    while (inTable(PATTERN, this.code())) this.pos++;
    const text = this.text.slice(start, this.pos);
    if (text === '' || !/^[A-Za-z*]/.test(text) || RESERVED.has(text)) throw GIVE_UP;
    const pattern = this.node(this.patternOrWord(start, this.pos), true, start, this.pos);
    this.skipBlanks();
    if (this.code() !== PAREN_CLOSE && this.code() !== PIPE) throw GIVE_UP;
    return pattern;
  }

  /**
   * What tree-sitter-bash makes of the bare word at `start`..`end` where its scanner may read a
   * pattern (scanExtglob()): a pattern of the whole word or a word; anything else is left to it.
   */
  private patternOrWord(start: number, end: number): 'word' | 'extglob_pattern' {
    const scanned = scanExtglob(this.text, start);
    if (scanned === undefined || (scanned !== -1 && scanned !== end)) throw GIVE_UP;
    return scanned === -1 ? 'word' : 'extglob_pattern';
  }

  /** A keyword token, or give up when the keyword is not here. */
  private keyword(keyword: string): Node {
    if (!this.atKeyword(keyword)) throw GIVE_UP;
    return this.token(keyword, keyword.length);
  }

  /** Statements up to one of `ends`, at least one of them a command. */
  private body(ends: readonly string[]): Node[] {
    this.skipWhitespace();
    const children: Node[] = [];
    this.statements(children, ends);
    if (!children.some((child) => child.named && child.type !== 'comment')) throw GIVE_UP;
    return children;
  }

  /** `if LIST; then LIST; [elif LIST; then LIST;]... [else LIST;] fi` */
  private ifStatement(): Node {
    const start = this.pos;
    const children = [this.token('if', 2)];
    children.push(...this.condition('then', true), this.keyword('then'), ...this.body(['elif', 'else', 'fi']));
    while (this.atKeyword('elif')) {
      const clauseStart = this.pos;
      const clause = [this.token('elif', 4), ...this.condition('then')];
      clause.push(this.keyword('then'), ...this.body(['elif', 'else', 'fi']));
      children.push(this.node('elif_clause', true, clauseStart, this.clauseEnd(clause), clause));
    }
    if (this.atKeyword('else')) {
      const clauseStart = this.pos;
      const clause = [this.token('else', 4), ...this.body(['fi'])];
      children.push(this.node('else_clause', true, clauseStart, this.clauseEnd(clause), clause));
    }
    children.push(this.keyword('fi'));
    return this.node('if_statement', true, start, this.pos, children);
  }

  /**
   * The condition of an `if` or `elif`, up to `then`, or of a `while`, up to `do` (a comment there is
   * left to tree-sitter). `fielded`: every child (the `;` tokens too) has the field `condition`, as
   * tree-sitter-bash gives an `if`'s and a `while`'s (an `elif`'s has none).
   */
  private condition(end: string, fielded = false): Node[] {
    const condition = this.body([end]);
    if (condition.some((child) => child.type === 'comment')) throw GIVE_UP;
    if (fielded) for (const child of condition) child.field = 'condition';
    return condition;
  }

  /**
   * Where an `elif` or `else` clause ends in tree-sitter-bash's tree: after the line breaks that end
   * its last statement, when they follow each other (a `;` or `&` that ends it is a child of its own,
   * and the clause ends there).
   */
  private clauseEnd(clause: readonly Node[]): number {
    const last = clause[clause.length - 1]!;
    if (last.type === 'comment') throw GIVE_UP;
    let at = last.end;
    while (this.code(at) === SPACE || this.code(at) === TAB) at++;
    if (last.type === ';' || last.type === '&' || this.code(at) !== NEWLINE) return last.end;
    while (this.code(at) === NEWLINE) at++;
    return at;
  }

  /** `while LIST; do LIST; done` (or `until`): the condition as an `if`'s. */
  private whileStatement(): Node {
    const start = this.pos;
    const children = [this.token(this.code() === 119 /* w */ ? 'while' : 'until', 5)];
    children.push(...this.condition('do', true));
    const doGroup = this.doGroup();
    doGroup.field = 'body';
    children.push(doGroup);
    return this.node('while_statement', true, start, this.pos, children);
  }

  /** `do LIST done`. */
  private doGroup(): Node {
    const start = this.pos;
    const group = [this.keyword('do'), ...this.body(['done'])];
    group.push(this.keyword('done'));
    return this.node('do_group', true, start, this.pos, group);
  }

  /** `for NAME in WORD...; do LIST; done` */
  private forStatement(): Node {
    const start = this.pos;
    const children = [this.token('for', 3)];
    this.skipBlanks();
    if (!isNameStart(this.code())) throw GIVE_UP;
    const end = this.nameEnd(this.pos + 1);
    const name = this.node('variable_name', true, this.pos, end);
    name.field = 'variable';
    this.pos = end;
    this.skipBlanks();
    children.push(name, this.keyword('in'));
    for (;;) {
      this.skipBlanks();
      const c = this.code();
      if (c === SEMICOLON || c === NEWLINE) break;
      if (this.atEnd() || this.atRedirect()) throw GIVE_UP;
      const value = this.literal();
      if (hasBraceWord(value)) throw GIVE_UP;
      value.field = 'value';
      children.push(value);
    }
    if (children.length === 3) throw GIVE_UP; // no words
    if (this.code() === SEMICOLON) children.push(this.token(';', 1));
    this.skipWhitespace();
    const doGroup = this.doGroup();
    doGroup.field = 'body';
    children.push(doGroup);
    return this.node('for_statement', true, start, this.pos, children);
  }

  /** `{ LIST; }` */
  private block(): Node {
    const start = this.pos;
    const children = [this.token('{', 1), ...this.body(['}'])];
    children.push(this.keyword('}'));
    return this.node('compound_statement', true, start, this.pos, children);
  }

  /**
   * `! command` (a simple command, not a pipeline), and the redirects after it, which apply to the
   * negated command in tree-sitter-bash's tree (`! a 2>/dev/null`), as after any command (list()).
   */
  private negation(): { command: Node; redirects: Node[] } {
    const start = this.pos;
    const bang = this.token('!', 1);
    this.skipBlanks();
    if (this.code() === BANG || this.code() === BRACKET_OPEN || this.code() === BRACE_OPEN) throw GIVE_UP;
    const { command, redirects } = this.command();
    if (command.type !== 'command') throw GIVE_UP;
    // (a `|` after it makes it the first command of a pipeline: `! a | b` is `(! a) | b`)
    return { command: this.node('negated_command', true, start, command.end, [bang, command]), redirects };
  }

  /**
   * `[ -op operand ]`, `[ operand op operand ]` or `[ operand ]`, the operators and operands of the
   * tables above; or `[ ! ... ]` of the first or the last.
   */
  private testCommand(): Node {
    const start = this.pos;
    const children = [this.token('[', 1)];
    this.skipBlanks();
    const expression = this.testExpression();
    this.skipBlanks();
    if (this.code() !== BRACKET_CLOSE) throw GIVE_UP;
    children.push(expression, this.token(']', 1));
    const after = this.code();
    if (!(after === -1 || after === SPACE || after === TAB || after === NEWLINE || after === SEMICOLON)) throw GIVE_UP;
    return this.node('test_command', true, start, this.pos, children);
  }

  /**
   * What a test tests. tree-sitter-bash's `!` applies to the operand after it only (`! a = b` is
   * `(! a) = b`): read here before a unary test or a lone operand.
   */
  private testExpression(): Node {
    const next = this.code(this.pos + 1);
    if (this.code() === BANG && (next === SPACE || next === TAB)) {
      const bang = this.token('!', 1, 'operator');
      this.skipBlanks();
      const negated = this.testExpression();
      if (negated.type === 'binary_expression') throw GIVE_UP;
      return this.node('unary_expression', true, bang.start, negated.end, [bang, negated]);
    }
    const operatorText = /^-[a-zA-Z]+(?=[ \t])/.exec(this.text.slice(this.pos, this.pos + 5))?.[0];
    if (operatorText !== undefined) {
      if (!UNARY_TESTS.has(operatorText)) throw GIVE_UP;
      const operator = this.token('test_operator', operatorText.length, 'operator');
      operator.named = true;
      this.skipBlanks();
      const operand = this.testOperand();
      return this.node('unary_expression', true, operator.start, operand.end, [operator, operand]);
    }
    const left = this.testOperand(true);
    const end = this.pos;
    this.skipBlanks();
    if (this.code() === BRACKET_CLOSE) {
      this.pos = end;
      return left;
    }
    const text = /^\S+/.exec(this.text.slice(this.pos, this.pos + 4))?.[0] ?? '';
    let operator: Node;
    if (STRING_TESTS.has(text)) operator = this.token(text, text.length, 'operator');
    else if (NUMERIC_TESTS.has(text)) {
      operator = this.token('test_operator', text.length, 'operator');
      operator.named = true;
    } else throw GIVE_UP;
    this.skipBlanks();
    const right = this.testOperand();
    // A bare word after `-eq` and the like is read otherwise; after `==` and `!=`, tree-sitter-bash's
    // scanner makes some of them patterns (see scanExtglob()).
    if (right.type === 'word') {
      if (NUMERIC_TESTS.has(text)) throw GIVE_UP;
      if (text !== '=') right.type = this.patternOrWord(right.start, right.end);
    } else if (right.type === 'concatenation' && text !== '=') throw GIVE_UP; // (a pattern's scanner again)
    left.field = 'left';
    right.field = 'right';
    return this.node('binary_expression', true, left.start, right.end, [left, operator, right]);
  }

  /** An operand of a test: a literal of the kinds in TEST_OPERANDS, not `]` nor an operator. */
  private testOperand(first = false): Node {
    const c = this.code();
    // (a `+` first is a unary `+` there)
    if (c === BRACKET_CLOSE || c === MINUS || c === BANG || c === EQUALS || c === PLUS) throw GIVE_UP;
    const operand = this.literal();
    if (!TEST_OPERANDS.has(operand.type) || operand.text.includes(']')) throw GIVE_UP;
    // Glob characters make a word a pattern there (in a concatenation too: `/tmp/x-$V.zip`).
    const words = operand.type === 'concatenation' ? operand.children : [operand];
    if (words.some((w) => w.type === 'word' && !/^[\w./:@%+,-]+$/.test(w.text))) throw GIVE_UP;
    // Where an expression starts, a name (after an `@`) before `%`, `@` or `+:` is a variable name to
    // tree-sitter-bash's scanner (`[ a%b = c ]` is an error there); a lone `%` or `/` after an
    // operator is an arithmetic one (`[ -f / ]` is `-f` divided by `]`).
    if (operand.type === 'word' && (operand.text === '%' || operand.text === '/')) throw GIVE_UP;
    if (first && /^@?\w+(?:[%@]|\+:)/.test(operand.text)) throw GIVE_UP;
    return operand;
  }

  /**
   * A word, a quoted string, an expansion, or several of them written together (a concatenation).
   * tree-sitter-bash ends a concatenation before a `$NAME` that comes third or later and is followed
   * by more characters of a word: the `$` ends the concatenation (a token of its own) and the rest
   * is another argument (`a/$V/b-$V-c` is `a/$V/b-$` and `V-c`). Read so for an `argument` of a
   * command; anywhere else, and before other characters, left to tree-sitter.
   */
  private literal(argument = false): Node {
    const start = this.pos;
    const parts: Node[] = [];
    for (;;) {
      const c = this.code();
      if (argument && c === DOLLAR && parts.length >= 2 && this.nameThenWord()) {
        if (parts.some((p) => p.type === 'number')) throw GIVE_UP;
        parts.push(this.token('$', 1));
        return this.node('concatenation', true, start, this.pos, parts);
      }
      // After a `$NAME` third or later, an argument goes on with word characters that do not split
      // it and with another expansion (`$A-$B$C`; `$A-$B$C/usr` splits before the `C`, above).
      if (
        parts.length >= 3 &&
        parts[parts.length - 1]!.type === 'simple_expansion' &&
        !this.endsLiteral(c) &&
        !(argument && ((inTable(WORD, c) && !inTable(SPLITS_AFTER_NAME, c)) || c === DOLLAR))
      )
        throw GIVE_UP;
      if (c === BACKSLASH && parts.length > 0) throw GIVE_UP; // `$A\$B` is two arguments to tree-sitter-bash
      if (inTable(WORD, c) || c === BACKSLASH) parts.push(this.word());
      // A brace is a word of its own inside a word (`a/{b,c}`, `{}`), as tree-sitter-bash splits them.
      else if (c === BRACE_OPEN || c === BRACE_CLOSE) {
        const next = this.code(this.pos + 1);
        if (c === BRACE_OPEN && (next === SPACE || next === TAB)) throw GIVE_UP; // `{ }` is one word there
        parts.push(this.node('word', true, this.pos, this.pos + 1));
        this.pos++;
      } else if (c === QUOTE) parts.push(this.string());
      else if (c === BACKQUOTE && this.closer !== BACKQUOTE) {
        // after another part, tree-sitter-bash splits the word before it (`x`b`` is `x` and `` `b` ``)
        if (parts.length > 0) throw GIVE_UP;
        parts.push(this.backquoted());
      } else if (c === APOSTROPHE) parts.push(this.rawString());
      else if (c === DOLLAR) {
        parts.push(this.code(this.pos + 1) === PAREN_OPEN ? this.substitution() : this.expansion(parts.length));
        // `$$` after another part and at the end is dropped from tree-sitter-bash's tree (`a$$` is a
        // concatenation of `a`), and `$1` as a third part or later is a `$` and a number there
        // (`''a$1`: `''a$` and `1`).
        const last = parts[parts.length - 1]!.text;
        const ends = !inTable(WORD, this.code());
        if ((parts.length > 1 && last === '$$' && ends) || (parts.length > 2 && isDigit(last.charCodeAt(1))))
          throw GIVE_UP;
      } else break;
    }
    if (parts.length === 0) throw GIVE_UP;
    // tree-sitter-bash drops a `-` before `2>`.
    if (this.pos === start + 1 && this.code(start) === MINUS) {
      let at = this.pos;
      while (this.code(at) === SPACE || this.code(at) === TAB) at++;
      if (isDigit(this.code(at))) throw GIVE_UP;
    }
    const c = this.code();
    // Digits right before `>` or `<` (`a1>f`, `*12>&1`) are read differently by tree-sitter-bash.
    if ((c === GREATER || c === LESS) && isDigit(this.code(this.pos - 1))) throw GIVE_UP;
    if (!this.endsLiteral(c)) throw GIVE_UP;
    if (parts.length === 1) return parts[0]!;
    if (parts.some((p) => p.type === 'number')) throw GIVE_UP;
    return this.node('concatenation', true, start, this.pos, parts);
  }

  /** Whether `c` (the character after a literal) ends it here. */
  private endsLiteral(c: number): boolean {
    return (
      c === -1 ||
      c === SPACE ||
      c === TAB ||
      c === NEWLINE ||
      c === SEMICOLON ||
      c === PIPE ||
      c === AMPERSAND ||
      c === GREATER ||
      c === LESS ||
      (c === this.closer && this.depth > 0)
    );
  }

  /** Whether a `$NAME` is here (not `$_`), followed by a character of a word that splits (SPLITS_AFTER_NAME). */
  private nameThenWord(): boolean {
    if (!isNameStart(this.code(this.pos + 1))) return false;
    const end = this.nameEnd(this.pos + 2);
    if (end === this.pos + 2 && this.code(this.pos + 1) === 95) return false;
    const after = this.code(end);
    if (!inTable(SPLITS_AFTER_NAME, after)) return false;
    // ... and not when a `:`, `@`, `%` or `=` follows in the same word (`a-$B-$C+:d` is one word).
    for (let at = end, c = after; inTable(WORD, c); c = this.code(++at))
      if (!inTable(SPLITS_AFTER_NAME, c) && !inTable(NAME, c)) throw GIVE_UP;
    return true;
  }

  /** Word characters, and escaped characters (`\;`, `\$`, `\ `): a backslash and the character after it. */
  private word(): Node {
    const start = this.pos;
    if (this.code() === BACKSLASH) {
      // tree-sitter-bash reads a word that starts with an escape on a new line as the previous
      // line's, line break included.
      let before = start - 1;
      while (this.code(before) === SPACE || this.code(before) === TAB) before--;
      if (this.code(before) === NEWLINE) throw GIVE_UP;
    }
    for (let c = this.code(); ; c = this.code()) {
      if (inTable(WORD, c)) this.pos++;
      else if (c === BACKSLASH) this.escape();
      else break;
    }
    const text = this.text.slice(start, this.pos);
    // tree-sitter-bash's number token: an optional minus and digits (other bases are left to it).
    const sign = text.charCodeAt(0) === MINUS ? 1 : 0;
    let digits = sign;
    if (digits < text.length && isDigit(text.charCodeAt(digits))) {
      while (digits < text.length && isDigit(text.charCodeAt(digits))) digits++;
      if (digits === text.length) return this.node('number', true, start, this.pos);
      if (digits === sign + 1 && text[sign] === '0' && (text[digits] === 'x' || text[digits] === 'X')) throw GIVE_UP; // 0x...
    }
    return this.node('word', true, start, this.pos);
  }

  /**
   * A backslash and the character it escapes. A line break (a continuation), the end, and a space or
   * tab (whitespace to tree-sitter-bash in places: `"\ "`, a word's start) are left to tree-sitter.
   */
  private escape(): void {
    const next = this.code(this.pos + 1);
    if (next === -1 || next === NEWLINE || next === CARRIAGE_RETURN || next === SPACE || next === TAB) throw GIVE_UP;
    if (next >= 0xd800 && next <= 0xdfff) throw GIVE_UP;
    this.pos += 2;
  }

  private rawString(): Node {
    const end = this.text.indexOf("'", this.pos + 1);
    if (end < 0) throw GIVE_UP;
    const start = this.pos;
    this.pos = end + 1;
    return this.node('raw_string', true, start, this.pos);
  }

  /**
   * `"..."`: its content, with `$VAR` and `${VAR}` expansions. A run of spaces and tabs alone between
   * two parts is part of the next token (tree-sitter-bash's lexer skips it as whitespace).
   */
  private string(): Node {
    const start = this.pos;
    const children = [this.token('"', 1)];
    for (;;) {
      const runStart = this.pos;
      let blank = true;
      for (let c = this.code(); c !== QUOTE && c !== DOLLAR && c !== BACKQUOTE; c = this.code()) {
        if (c === -1 || c === NEWLINE) throw GIVE_UP;
        if (c !== SPACE && c !== TAB) blank = false;
        if (c === BACKSLASH) this.escape();
        else this.pos++;
      }
      if (this.pos > runStart && !blank) children.push(this.node('string_content', true, runStart, this.pos));
      else this.pos = runStart;
      if (this.code(this.pos) === QUOTE || this.code(this.blankEnd()) === QUOTE) {
        const from = this.pos;
        this.pos = this.blankEnd() + 1;
        children.push(this.node('"', false, from, this.pos));
        return this.node('string', true, start, this.pos, children);
      }
      if (this.code(this.blankEnd()) === BACKQUOTE) {
        children.push(this.backquoted());
        continue;
      }
      const after = this.code(this.pos + 1);
      if (this.code() === DOLLAR && (after === SLASH || after === DOT || after === COLON || after === QUOTE)) {
        // A `$` that starts no expansion (`"s/a$/b/"`) is a token of its own in the string.
        children.push(this.token('$', 1));
        continue;
      }
      children.push(this.code(this.blankEnd() + 1) === PAREN_OPEN ? this.substitution() : this.expansion());
    }
  }

  /** The end of the run of spaces and tabs here. */
  private blankEnd(): number {
    let at = this.pos;
    for (let c = this.code(at); c === SPACE || c === TAB; c = this.code(at)) at++;
    return at;
  }

  /** The operator of `${NAME...}` here: `:-` `:+` `:=` `-` `+` `=` (a value), `%%` `%` `##` `#` (a pattern). */
  private expansionOperator(): string | undefined {
    const c = this.code();
    const next = this.code(this.pos + 1);
    if (c === COLON)
      return next === MINUS || next === PLUS || next === EQUALS || next === QUESTION
        ? this.text.slice(this.pos, this.pos + 2)
        : undefined;
    if (c === PERCENT || c === HASH) return next === c ? this.text.slice(this.pos, this.pos + 2) : this.text[this.pos];
    return c === MINUS || c === PLUS || c === EQUALS || c === QUESTION ? this.text[this.pos] : undefined;
  }

  /** `$NAME`, `${NAME}`, `${NAME:-word}` and the like (any blanks before the `$` are part of its token). */
  private expansion(part = -1): Node {
    const start = this.pos;
    const dollar = this.blankEnd();
    if (this.code(dollar) !== DOLLAR) throw GIVE_UP;
    const braced = this.code(dollar + 1) === BRACE_OPEN;
    const nameStart = dollar + (braced ? 2 : 1);
    const first = this.code(nameStart);
    if (!braced && (inTable(SPECIAL, first) || isDigit(first))) {
      // `$?`, `$$`, `$@`, ..., `$0`-`$9` alone (tree-sitter-bash reads `$?Aa@` as a variable `?Aa`,
      // `$10` and `$1a` as variables `10` and `1a`); `$$` also as the first or second part of an
      // unquoted word (`tmp.$$.json`), before a character of a word that is not a `$`.
      const after = this.code(nameStart + 1);
      const alone = this.endsLiteral(after) || after === QUOTE || after === PAREN_CLOSE;
      const inWord = first === DOLLAR && part >= 0 && part <= 1 && inTable(WORD, after);
      if (!alone && !inWord) throw GIVE_UP;
      this.pos = nameStart + 1;
      const special = [
        this.node('$', false, start, nameStart),
        this.node(isDigit(first) ? 'variable_name' : 'special_variable_name', true, nameStart, this.pos),
      ];
      return this.node('simple_expansion', true, start, this.pos, special);
    }
    // (inside braces, a name may start with a digit: `${1:-}`, `${10}`, `${1a}`)
    if (!isNameStart(first) && !(braced && isDigit(first))) throw GIVE_UP;
    const nameEnd = this.nameEnd(nameStart + 1);
    if (nameEnd === nameStart + 1 && this.code(nameStart) === 95) throw GIVE_UP; // `$_` is a special variable
    if (this.code(nameEnd) >= 128) throw GIVE_UP; // tree-sitter-bash's names may go on with some letters
    const opening = this.node(braced ? '${' : '$', false, start, nameStart);
    const name = this.node('variable_name', true, nameStart, nameEnd);
    if (!braced) {
      this.pos = nameEnd;
      return this.node('simple_expansion', true, start, nameEnd, [opening, name]);
    }
    this.pos = nameEnd;
    const children = [opening, name];
    const operator = this.expansionOperator();
    if (operator) {
      children.push(this.token(operator, operator.length, 'operator'));
      const valueStart = this.pos;
      // A pattern to remove (`${A%%.*}`) is a `regex`; a default or alternative value a `word`, where
      // other characters (`-`, `=`, `%`, ...) split it into parts in tree-sitter-bash's tree.
      const removes = operator[0] === '%' || operator[0] === '#';
      if (!removes && this.code() === QUOTE) {
        // a quoted value (`${A:+"--with-x=$A"}`), alone: quotes and words written together are left
        children.push(this.string());
        if (this.code() !== BRACE_CLOSE) throw GIVE_UP;
        children.push(this.token('}', 1));
        return this.node('expansion', true, start, this.pos, children);
      }
      // A value that does not start with a name's character is one word to the `}`, `-`s included
      // (`${A:+--enable-x}`); after a name's first characters, a `-` splits it (`${A:-b-c}`).
      const first = this.code();
      const chars = removes
        ? REMOVED
        : first === MINUS || !(inTable(NAME, first) || first >= 128)
          ? DEFAULT_WORD
          : DEFAULT;
      let bracket = false; // a `]` in a pattern only closes a `[` (`${A%%[a-z]*}`; `${A%]}` reads otherwise)
      for (let c = this.code(); inTable(chars, c); c = this.code()) {
        if (c === BRACKET_CLOSE && !bracket) throw GIVE_UP;
        if (c === BRACKET_OPEN || c === BRACKET_CLOSE) bracket = c === BRACKET_OPEN;
        this.pos++;
      }
      // `${A:-}`, `${A%}`: no value (`${A##}` is a `#` and a pattern `#` to tree-sitter-bash)
      if (this.pos > valueStart) children.push(this.node(removes ? 'regex' : 'word', true, valueStart, this.pos));
      else if (removes && operator.length === 2) throw GIVE_UP;
    }
    if (this.code() !== BRACE_CLOSE) throw GIVE_UP;
    children.push(this.token('}', 1));
    return this.node('expansion', true, start, this.pos, children);
  }
}

const isAlpha = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isAlphanumeric = (c: number): boolean => isAlpha(c) || (c >= 48 && c <= 57);
/** C's `iswspace()` for ASCII. */
const isSpace = (c: number): boolean => c === SPACE || (c >= TAB && c <= CARRIAGE_RETURN);

/**
 * What tree-sitter-bash's scanner makes of the bare pattern or word at `pos` where it may read an
 * `extglob_pattern` (a case item's pattern, the operand after `==` or `!=` in `[ ... ]`): the end of
 * the pattern it makes, -1 when it makes none (its lexer then reads a `word`), undefined where this
 * port does not follow it (a `-`, `!` or `?` first; quotes, `$`, `\`, brackets, braces or
 * parentheses inside). Its extglob rule (src/scanner.c), for letters, digits and `_./:%,+@*`: the
 * first character must be a letter or one of `.*+@`; a word that starts `esac` then a blank is none;
 * after the first character (after `e`, `es` or `esa`), a `-` and letters or digits make one when a
 * blank, `|` or `)` follows (none before `.` or `)`); a blank or `|` right there makes one, a `)` then
 * a blank one when the first character is not a letter; then a run up to a blank, `|` or `)` makes
 * one only when a character in it, or the first, is neither a letter nor a `.` (`b`, `a-b`, `amd64`,
 * `./x` are patterns; `abc`, `a.b`, `a:b`, `a-1)` words).
 */
export function scanExtglob(text: string, pos: number): number | undefined {
  const at = (k: number): number => (k < text.length ? text.charCodeAt(k) : 0);
  let i = pos;
  const first = at(i);
  if (!isAlpha(first) && first !== DOT && first !== 42 /* * */ && first !== PLUS && first !== 64 /* @ */) {
    if (first === MINUS || first === BANG || first === QUESTION) return undefined;
    return first === BACKSLASH || first === PAREN_CLOSE || first === BRACKET_OPEN ? undefined : -1;
  }
  const wasNonAlpha = !isAlpha(first);
  if (first === 101 /* e */) {
    // `esac` then a blank ends a case statement
    i++;
    if (at(i) === 115 /* s */) {
      i++;
      if (at(i) === 97 /* a */) {
        i++;
        if (at(i) === 99 /* c */) {
          i++;
          if (isSpace(at(i))) return -1;
        }
      }
    }
  } else i++;
  if (at(i) === MINUS) {
    i++;
    while (isAlphanumeric(at(i))) i++;
    if (at(i) === PAREN_CLOSE || at(i) === BACKSLASH || at(i) === DOT) return -1;
  }
  if (at(i) === PAREN_CLOSE) {
    // a case item's `-)` or `*)`
    if (!isSpace(at(i + 1))) return undefined;
    return wasNonAlpha ? i : -1;
  }
  if (isSpace(at(i)) || at(i) === PIPE) return i;
  const c = at(i);
  if (c === DOLLAR || c === QUOTE || c === BACKSLASH || c === PAREN_OPEN || c === BRACKET_OPEN || c === QUESTION)
    return undefined;
  if (!isAlphanumeric(c) && c !== SLASH && c !== 95 /* _ */ && c !== 42 /* * */) return -1;
  let nonAlphaDot = wasNonAlpha;
  let end = i; // (where the pattern ends before a `)`: after the run's last character)
  for (; ; i++) {
    const k = at(i);
    if (k === 0) return -1;
    if (k === PAREN_CLOSE) break;
    if (k === PIPE) return i;
    if (isSpace(k)) return nonAlphaDot ? i : -1;
    if (k === PAREN_OPEN || k === BRACKET_OPEN || k === BRACE_OPEN || k === BRACKET_CLOSE || k === BRACE_CLOSE)
      return undefined;
    if (k === DOLLAR || k === QUOTE || k === BACKSLASH) return undefined;
    if (!isAlpha(k) && k !== DOT) nonAlphaDot = true;
    end = i + 1;
  }
  return nonAlphaDot ? end : -1;
}
