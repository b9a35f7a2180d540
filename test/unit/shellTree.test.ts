// ShellParser.treeSitterTree copies tree-sitter's tree into plain objects through a cursor, reading each
// symbol's name and named-ness from the language once per symbol and asking whether a node is
// missing only when it is empty (shell.ts). The copy must equal what tree-sitter's own Node API
// says, node for node, on valid and broken scripts alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { shellParser } from '../helpers/service';
import { plain, treeSitterTrees } from '../helpers/shellTrees';

async function setup() {
  const shell = await shellParser();
  const treeSitter = await treeSitterTrees();
  return (text: string) => assert.deepEqual(plain(shell.treeSitterTree(text)), treeSitter(text), JSON.stringify(text));
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
