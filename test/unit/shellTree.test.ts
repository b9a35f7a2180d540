// ShellParser.parse copies tree-sitter's tree into plain objects through a cursor, reading each
// symbol's name and named-ness from the language once per symbol and asking whether a node is
// missing only when it is empty (shell.ts). The copy must equal what tree-sitter's own Node API
// says, node for node, on valid and broken scripts alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Language, Parser, type Node } from 'web-tree-sitter';
import type { ShNode } from '../../server/src/service/shell';
import { BASH_WASM, shellParser } from '../helpers/service';

interface Plain {
  type: string;
  named: boolean;
  field: string | undefined;
  start: number;
  end: number;
  text: string;
  isError: boolean;
  isMissing: boolean;
  children: Plain[];
}

function fromNode(node: Node, text: string, field: string | undefined): Plain {
  return {
    type: node.type,
    named: node.isNamed,
    field,
    start: node.startIndex,
    end: node.endIndex,
    text: text.slice(node.startIndex, node.endIndex),
    isError: node.type === 'ERROR',
    isMissing: node.isMissing,
    children: node.children.map((child, i) => fromNode(child!, text, node.fieldNameForChild(i) ?? undefined)),
  };
}

function fromCopy(node: ShNode): Plain {
  const { type, named, field, start, end, text, isError, isMissing } = node;
  return { type, named, field, start, end, text, isError, isMissing, children: node.children.map(fromCopy) };
}

async function setup() {
  const shell = await shellParser(); // runs Parser.init
  const parser = new Parser();
  parser.setLanguage(await Language.load(readFileSync(BASH_WASM)));
  return (text: string) => {
    const tree = parser.parse(text)!;
    try {
      assert.deepEqual(fromCopy(shell.parse(text)), fromNode(tree.rootNode, text, undefined), JSON.stringify(text));
    } finally {
      tree.delete();
    }
  };
}

const SCRIPTS = [
  '',
  '   ',
  'apt-get update && apt-get install -y --no-install-recommends curl \\\n  && rm -rf /var/lib/apt/lists/*',
  'echo "unterminated',
  "echo 'also unterminated",
  'if true; then echo',
  'for i in 1 2; do echo $i; done',
  '(cd /src && make) | tee log || exit 1',
  'echo ${x:-y} ${#x} $(date) `id` $((1 + 2))',
  '[[ -f x ]] && test -d y',
  'case $x in a) echo a ;; *) ;; esac',
  'cat <<EOF > /etc/conf\nkey=$value\nEOF',
  'fi',
  ')',
  'x=1 y="2" env | grep -v ^_',
  'f() { local a=$1; echo "$a"; }; f 1',
];

test('the copy equals tree-sitter’s nodes on scripts, broken ones too', async () => {
  const check = await setup();
  for (const script of SCRIPTS) check(script);
});

test('the copy equals tree-sitter’s nodes on any text', async () => {
  const check = await setup();
  const piece = fc.constantFrom(
    'echo',
    ' ',
    '\n',
    '\\\n',
    '&&',
    '||',
    '|',
    ';',
    '(',
    ')',
    '{',
    '}',
    '$x',
    '${',
    '$(',
    '`',
    '"',
    "'",
    'if',
    'then',
    'fi',
    'do',
    'done',
    '<<EOF',
    'EOF',
    '=',
    '#',
    '*',
    'a',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => check(pieces.join(''))),
    { numRuns: 400 },
  );
});
