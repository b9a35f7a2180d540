// ShellParser.treeSitterTree copies tree-sitter's tree into plain objects through a cursor, reading each
// symbol's name and named-ness from the language once per symbol and asking whether a node is
// missing only when it is empty (shell.ts). The copy must equal what tree-sitter's own Node API
// says, node for node, on valid and broken scripts alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hasError, type ShNode } from '../../server/src/service/shell';
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

test('hasError() answers whether any node of the tree is an error or missing, asked once or again', async () => {
  const shell = await shellParser();
  const anyError = (node: ShNode): boolean => node.isError || node.isMissing || node.children.some(anyError);
  const texts = [...SCRIPTS, 'echo a; echo b', 'apt-get update && apt-get install -y curl', 'cd /x || exit 1'];
  let broken = 0;
  for (const text of texts) {
    // script(): the fast parser's tree where it reads the text, tree-sitter's otherwise.
    const root = shell.script(text).root;
    const expected = anyError(shell.treeSitterTree(text));
    if (expected) broken++;
    assert.equal(hasError(root), expected, JSON.stringify(text));
    assert.equal(hasError(root), expected, `${JSON.stringify(text)}, asked again`);
    for (const child of root.children) assert.equal(hasError(child), anyError(child), JSON.stringify(child.text));
  }
  assert.ok(broken >= 3 && broken < texts.length, `${broken} of ${texts.length} broken`);
});
