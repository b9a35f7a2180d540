// Makes V8 compile the module factories of an esbuild CommonJS bundle when it compiles the bundle,
// instead of when each module is first required (esbuild.mjs runs it on the client bundle).
//
// esbuild wraps each CommonJS module of a bundle in an arrow function, `__commonJS((exports,
// module) => { ... })`. V8 compiles functions lazily: loading the bundle pre-parses every function,
// and each factory is parsed again, with all the functions inside it, when its module is required.
// A bundle that requires all its modules at load (the client: vscode-languageclient) pays for its
// text twice. V8 compiles a function expression at once when it is wrapped in parentheses (its
// "PIFE" heuristic), which arrows do not get: so each factory becomes `(function (exports, module)
// { ... })`, which behaves the same when its body uses neither `this` nor `arguments` (checked;
// such a factory is left as it is). Loading the client bundle in a fresh process: ~70 -> ~45 ms of
// CPU (docs/performance.md, "Activation").
import * as acorn from 'acorn';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Map([...BASE64].map((c, i) => [c, i]));

/** Reads one base64 VLQ from `s` at `at`: [value, index after it]. */
function readVlq(s, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const digit = BASE64_VALUE.get(s[at++]);
    if (digit === undefined) throw new Error(`eager-modules: bad source map VLQ in "${s}"`);
    value += (digit & 31) * 2 ** shift;
    shift += 5;
    if ((digit & 32) === 0) break;
  }
  return [value & 1 ? -Math.floor(value / 2) : Math.floor(value / 2), at];
}

function writeVlq(n) {
  let v = n < 0 ? -n * 2 + 1 : n * 2;
  let out = '';
  do {
    let digit = v & 31;
    v = Math.floor(v / 32);
    if (v > 0) digit |= 32;
    out += BASE64[digit];
  } while (v > 0);
  return out;
}

/** The generated column of every segment of a source map's `mappings`, line by line. */
export function generatedColumns(mappings) {
  return mappings.split(';').map((line) => {
    let column = 0;
    return line === ''
      ? []
      : line.split(',').map((segment) => {
          column += readVlq(segment, 0)[0];
          return column;
        });
  });
}

/** `mappings` with each segment's generated column moved by `move(line, column)`. */
function moveColumns(mappings, move) {
  return mappings
    .split(';')
    .map((line, index) => {
      if (line === '') return line;
      let before = 0;
      let movedBefore = 0;
      return line
        .split(',')
        .map((segment) => {
          const [delta, rest] = readVlq(segment, 0);
          const column = before + delta;
          const moved = move(index, column);
          const out = writeVlq(moved - movedBefore) + segment.slice(rest);
          before = column;
          movedBefore = moved;
          return out;
        })
        .join(',');
    })
    .join(';');
}

/** Whether `node`'s own code (not that of the functions inside it) reads `this` or `arguments`. */
function readsThisOrArguments(node) {
  let found = false;
  const visit = (n) => {
    if (found || n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    if (typeof n.type !== 'string') return;
    if (n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration') return; // their own `this`
    if (n.type === 'ThisExpression' || (n.type === 'Identifier' && n.name === 'arguments')) {
      found = true;
      return;
    }
    for (const key of Object.keys(n)) if (key !== 'type') visit(n[key]);
  };
  visit(node);
  return found;
}

/**
 * The name esbuild gave its `__commonJS` helper in a minified bundle: the top-level `var X = (cb,
 * mod) => () => { try { return mod || cb((mod = { exports: {} }).exports, mod), mod.exports } ... }`.
 * (Unminified, esbuild writes each factory as a method, `__commonJS({ "file.js"(exports, module)
 * { ... } })`: this applies to minified bundles only.)
 */
function commonJsHelper(ast, code) {
  for (const statement of ast.body) {
    if (statement.type !== 'VariableDeclaration') continue;
    for (const d of statement.declarations) {
      if (d.id.type !== 'Identifier' || d.init?.type !== 'ArrowFunctionExpression') continue;
      if (
        /^\(\w+,\w+\)=>\(\)=>\{try\{return \w+\|\|\w+\(\(\w+=\{exports:\{\}\}\)\.exports,/.test(
          code.slice(d.init.start, d.init.end),
        )
      )
        return d.id.name;
    }
  }
  return undefined;
}

/**
 * Rewrites esbuild's CommonJS module factories in `code` as parenthesized function expressions;
 * `map` (a source map object of `code`, optional) is returned with its columns moved to match.
 */
export function eagerModuleFactories(code, map) {
  const ast = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true });
  const helper = commonJsHelper(ast, code);
  if (!helper)
    throw new Error("eager-modules: esbuild's __commonJS helper was not found; see scripts/eager-modules.mjs");
  /** [start, end, text]: replace code.slice(start, end) with text. */
  const edits = [];
  let skipped = 0;
  const visit = (n) => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    if (typeof n.type !== 'string') return;
    const factory =
      n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === helper
        ? n.arguments[0]
        : undefined;
    if (factory?.type === 'ArrowFunctionExpression' && factory.body.type === 'BlockStatement' && !factory.async) {
      if (readsThisOrArguments(factory.body)) skipped++;
      else {
        const params = factory.params.map((p) => code.slice(p.start, p.end)).join(',');
        edits.push([factory.start, factory.body.start, `(function(${params})`], [factory.end, factory.end, ')']);
      }
    }
    for (const key of Object.keys(n)) if (key !== 'type') visit(n[key]);
  };
  visit(ast.body);
  edits.sort((a, b) => a[0] - b[0]);

  let out = '';
  let at = 0;
  for (const [start, end, text] of edits) {
    out += code.slice(at, start) + text;
    at = end;
  }
  out += code.slice(at);

  let newMap = map;
  if (map) {
    // Where each line starts, and the edits of each line (no edit spans lines: none has a newline).
    const lineStarts = [0];
    for (let i = code.indexOf('\n'); i !== -1; i = code.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    const editsByLine = new Map();
    let line = 0;
    for (const edit of edits) {
      while (line + 1 < lineStarts.length && lineStarts[line + 1] <= edit[0]) line++;
      const list = editsByLine.get(line) ?? [];
      list.push(edit.map((v, i) => (i < 2 ? v - lineStarts[line] : v)));
      editsByLine.set(line, list);
    }
    const move = (line, column) => {
      let moved = column;
      for (const [start, end, text] of editsByLine.get(line) ?? []) {
        if (column < start) break;
        moved += column < end ? start - column : text.length - (end - start);
      }
      return moved;
    };
    newMap = { ...map, mappings: moveColumns(map.mappings, move) };
  }
  return { code: out, map: newMap, factories: edits.length / 2, skipped };
}
