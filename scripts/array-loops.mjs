// The language server's `for...of` loops over arrays become indexed loops in the bundle.
//
// A first analysis runs mostly in V8's interpreter and baseline compiler, and there a `for...of`
// over an array makes an iterator, calls its `next()` for every element and allocates a
// `{ value, done }` result each time (the optimising compiler removes all of that, but only for code
// that has run long enough to be optimised). In a cold open of a 2,500-line stage those objects
// were a fifth of everything allocated (19.4 MB, 3.3 MB of it iterator results and 0.9 MB
// iterators), and so one scavenge more of what the analysis keeps (docs/performance.md,
// thirty-fourth session).
//
// The loops are rewritten in the text esbuild reads, with TypeScript's type checker deciding which
// ones iterate arrays: only an expression whose type is an array or a tuple (every member of a
// union) is rewritten, as TypeScript itself lowers such a loop for ES5. Both forms read the array's
// `length` before each element and read the element by index, so a loop over an array behaves the
// same, even if its body changes the array. A Map, a Set, a string, a generator or anything else
// keeps its `for...of`. The rewrite stays on the lines of the loop, so source maps still point at
// the right lines.
import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** Whether `checker` types `expression` as an array or a tuple (each member of a union). */
function iteratesArray(checker, expression) {
  const type = checker.getTypeAtLocation(expression);
  const members = type.isUnion() ? type.types : [type];
  return members.every((t) => checker.isArrayType(t) || checker.isTupleType(t));
}

/** Where the `)` that closes a `for (...)` head ends, from the end of its iterated expression. */
function headEnd(text, from) {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  scanner.resetTokenState(from);
  const token = scanner.scan();
  if (token !== ts.SyntaxKind.CloseParenToken) throw new Error(`array-loops: no ) after a for...of at ${from}`);
  return scanner.getTokenEnd();
}

/**
 * `source`'s text with every `for (const|let PATTERN of ARRAY) BODY` that `checker` types as a loop
 * over an array written as `for (let i = 0, a = ARRAY; i < a.length; i++) { const PATTERN = a[i]; BODY }`
 * (fresh names for `i` and `a`). `for await`, a `var` or an existing variable as the loop's target,
 * and any other iterable are left as they are.
 */
export function lowerArrayLoops(source, checker) {
  const text = source.text;
  const edits = [];
  let count = 0;
  const visit = (node) => {
    if (
      ts.isForOfStatement(node) &&
      !node.awaitModifier &&
      ts.isVariableDeclarationList(node.initializer) &&
      node.initializer.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let) &&
      node.initializer.declarations.length === 1 &&
      iteratesArray(checker, node.expression)
    ) {
      const kind = node.initializer.flags & ts.NodeFlags.Const ? 'const' : 'let';
      const binding = node.initializer.declarations[0].name;
      const pattern = text.slice(binding.getStart(source), binding.end);
      const array = text.slice(node.expression.getStart(source), node.expression.end);
      const index = `__docksmithIndex${count}`;
      const items = `__docksmithArray${count}`;
      count++;
      // The head up to its `)`; whatever follows it (a line break, a comment) stays where it was.
      edits.push({
        start: node.getStart(source),
        end: headEnd(text, node.expression.end),
        text: `for (let ${index} = 0, ${items} = ${array}; ${index} < ${items}.length; ${index}++)`,
      });
      const body = node.statement.getStart(source);
      edits.push({ start: body, end: body, text: `{ ${kind} ${pattern} = ${items}[${index}]; ` });
      edits.push({ start: node.end, end: node.end, text: ' }' });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (edits.length === 0) return text;
  // Nested loops: an inner loop's edits lie inside the outer one's body, and an insertion at the
  // same place as another (two loops that end together) keeps both.
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + text.slice(at);
}

/** A TypeScript program of the project `tsconfig`, made when first asked and again when a source changed. */
function programOf(tsconfig) {
  let program;
  return (path, contents) => {
    let source = program?.getSourceFile(path);
    if (!program || (source && source.text !== contents)) {
      const config = ts.getParsedCommandLineOfConfigFile(
        tsconfig,
        {},
        {
          ...ts.sys,
          onUnRecoverableConfigFileDiagnostic: (d) => {
            throw new Error(`array-loops: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
          },
        },
      );
      program = ts.createProgram({
        rootNames: config.fileNames,
        options: { ...config.options, noEmit: true },
        oldProgram: program,
      });
      source = program.getSourceFile(path);
    }
    return { source, checker: program.getTypeChecker() };
  };
}

/**
 * esbuild plugin: the TypeScript files under `sources` (a folder path ending in a separator) are
 * read with their array loops lowered, the types from the project `tsconfig`. One program serves
 * every build the plugin is in.
 */
export function arrayLoopsPlugin(tsconfig, sources) {
  const program = programOf(tsconfig);
  return {
    name: 'docksmith-array-loops',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, ({ path }) => {
        if (!path.startsWith(sources) || path.endsWith('.d.ts')) return undefined;
        const contents = readFileSync(path, 'utf8');
        const { source, checker } = program(path, contents);
        if (!source) throw new Error(`array-loops: ${path} is not in ${tsconfig}`);
        return { contents: lowerArrayLoops(source, checker), loader: 'ts' };
      });
    },
  };
}
