// Loads the Dockerfile grammar (plus the vendored shell and Python grammars it embeds) into
// vscode-textmate with the oniguruma WASM, all from this repository: no network, no ../shared.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);

const grammarFiles: Record<string, string> = {
  'source.dockerfile': join(root, 'syntaxes', 'dockerfile.tmLanguage.json'),
  'source.shell': join(root, 'test', 'fixtures', 'grammars', 'shellscript.tmLanguage.json'),
  'source.python': join(root, 'test', 'fixtures', 'grammars', 'python.tmLanguage.json'),
};

export interface Token {
  text: string;
  scopes: string[];
}

let registryPromise: Promise<vsctm.Registry> | undefined;

function registry(): Promise<vsctm.Registry> {
  registryPromise ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) => {
        const file = grammarFiles[scopeName];
        if (!file) return null;
        return vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file);
      },
    });
  })();
  return registryPromise;
}

export async function loadDockerfileGrammar(): Promise<vsctm.IGrammar> {
  const grammar = await (await registry()).loadGrammar('source.dockerfile');
  if (!grammar) throw new Error('source.dockerfile did not load');
  return grammar;
}

/** Tokenizes a whole document; returns the tokens of each line. */
export async function tokenize(text: string): Promise<Token[][]> {
  const grammar = await loadDockerfileGrammar();
  let stack = vsctm.INITIAL;
  const lines = text.split(/\r?\n/);
  const out: Token[][] = [];
  for (const line of lines) {
    const result = grammar.tokenizeLine(line, stack);
    out.push(result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes })));
    stack = result.ruleStack;
  }
  return out;
}
