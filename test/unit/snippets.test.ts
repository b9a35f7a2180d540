import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { doc, getService, REPO } from '../helpers/service';

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description?: string;
  isFileTemplate?: boolean;
}

/** Expands a VS Code snippet body with every placeholder's default (choices take the first). */
export function expandSnippet(body: string): string {
  let text = body;
  let previous: string | undefined;
  while (previous !== text) {
    previous = text;
    text = text
      .replace(/\$\{\d+:((?:[^{}$]|\$(?!\{))*)\}/g, '$1')
      .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
      .replace(/\$\{\d+\}/g, '')
      .replace(/\$\d+/g, '');
  }
  return text.replace(/\\\$/g, '$');
}

const snippets = JSON.parse(readFileSync(join(REPO, 'snippets', 'dockerfile.json'), 'utf8')) as Record<string, Snippet>;

test('the snippet file has the templates the issue asks for', () => {
  const prefixes = Object.values(snippets).flatMap((s) => (Array.isArray(s.prefix) ? s.prefix : [s.prefix]));
  for (const wanted of [
    'multistage-scratch',
    'node-app',
    'python-app',
    'go-scratch',
    'healthcheck',
    'run-cache-mount',
    'copy-chown',
    'run-heredoc',
  ]) {
    assert.ok(prefixes.includes(wanted), `missing snippet ${wanted}`);
  }
});

test('expansion helper handles nested and choice placeholders', () => {
  assert.equal(expandSnippet('FROM ${1:golang:${2:1.23}} AS ${3|build,b|}$0'), 'FROM golang:1.23 AS build');
});

for (const [name, snippet] of Object.entries(snippets)) {
  test(`snippet "${name}", expanded, passes every Docksmith rule`, async () => {
    const body = Array.isArray(snippet.body) ? snippet.body.join('\n') : snippet.body;
    let text = expandSnippet(body) + '\n';
    // Fragments are inserted into an existing Dockerfile: give them a stage.
    if (!/^FROM\b/im.test(text)) {
      text = 'FROM alpine:3.20\n' + text;
    }
    const service = await getService();
    const diagnostics = service.validate(doc(text), { lang: 'en' });
    assert.deepEqual(
      diagnostics.map((d) => `${d.range.start.line + 1}: ${String(d.code)} ${d.message}`),
      [],
      `snippet ${name} expands to:\n${text}`,
    );
  });
}
