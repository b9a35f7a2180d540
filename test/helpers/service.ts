/** Test helpers: a real service (docs from the source tree, the real shell parser), cursors in strings. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import { createDockerfileService, ShellParser, type DockerfileService } from '../../server/src/service';
import type { DockerfileServiceOptions } from '../../server/src/service';

export const REPO = join(__dirname, '..', '..');
export const DOCS_DIR = join(REPO, 'server', 'src', 'service', 'docs');

/** The docs folder as the server bundles it (see esbuild.mjs). */
export function loadDocs(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md') && name !== 'README.md')
        out[relative(DOCS_DIR, path).split(sep).join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(DOCS_DIR);
  return out;
}

/** tree-sitter-bash's grammar, as the build copies it next to the server bundle. */
export const BASH_WASM = join(REPO, 'node_modules', 'tree-sitter-bash', 'tree-sitter-bash.wasm');

let parser: Promise<ShellParser> | undefined;
export function shellParser(): Promise<ShellParser> {
  parser ??= ShellParser.create({
    treeSitter: readFileSync(join(REPO, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm')),
    bash: readFileSync(BASH_WASM),
  });
  return parser;
}

let service: Promise<DockerfileService> | undefined;
/** One shared service for a test file (the model cache is keyed by uri + version). */
export function getService(options: Partial<DockerfileServiceOptions> = {}): Promise<DockerfileService> {
  if (Object.keys(options).length > 0) {
    return shellParser().then((p) => createDockerfileService({ docs: loadDocs(), shellParser: p, ...options }));
  }
  service ??= shellParser().then((p) => createDockerfileService({ docs: loadDocs(), shellParser: p }));
  return service;
}

let counter = 0;
/** A fresh document (unique uri) with the given text. */
export function doc(text: string, uri?: string): TextDocument {
  return TextDocument.create(uri ?? `file:///test/${++counter}/Dockerfile`, 'dockerfile', 1, text);
}

export const CURSOR = '<|>';

/** Removes the `<|>` marker and returns the document and the marker's position. */
export function withCursor(text: string): { document: TextDocument; position: Position } {
  const offset = text.indexOf(CURSOR);
  if (offset < 0) throw new Error('no <|> cursor marker in test text');
  const document = doc(text.slice(0, offset) + text.slice(offset + CURSOR.length));
  return { document, position: document.positionAt(offset) };
}
