// scripts/trim-language-client.mjs: the client bundle leaves out vscode-languageclient's features of
// requests the server does not implement, and semver (client/src/semverCaret.ts stands in for it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import fc from 'fast-check';
import {
  copyReExports,
  FEATURES_LEFT_OUT,
  REEXPORTING_MODULES,
  trimApi,
  trimClient,
  trimLanguageClientPlugin,
} from '../../scripts/trim-language-client.mjs';
import { STUB_VSCODE } from '../../scripts/stub-vscode.mjs';
import { parse, satisfies, type ParsedVersion } from '../../client/src/semverCaret';
import { TestClient } from '../helpers/lsp';
import { REPO } from '../helpers/service';

const load = createRequire(__filename);
type SemVer = { prerelease: (string | number)[] };
const semverParse = load('semver/functions/parse') as (version: unknown) => SemVer | null;
const semverSatisfies = load('semver/functions/satisfies') as (version: SemVer, range: string) => boolean;

const COMMON = join(REPO, 'node_modules', 'vscode-languageclient', 'lib', 'common');

/** Version-like strings: mostly valid, often one character off (leading zeros, `v`, spaces, tags). */
const versionString = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', 'v', ' ', '=', 'V'),
      fc.constantFrom('0', '1', '2', '01', '00', '9007199254740993'),
      fc.constantFrom('0', '82', '99', '100', '081', ''),
      fc.constantFrom('0', '1', '3', '10', '01', 'x'),
      fc.constantFrom('', '-insider', '-0', '-01', '-alpha.1', '-a..b', '-1a', '-', '-rc.01', '-x-y'),
      fc.constantFrom('', '+build.5', '+', '+a_b', '+001', ' '),
    )
    .map(([prefix, major, minor, patch, pre, build]) => `${prefix}${major}.${minor}.${patch}${pre}${build}`),
  fc.string({ maxLength: 12 }),
);
const caretRange = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 12 }))
  .map(([major, minor, patch]) => `^${major}.${minor}.${patch}`);

test('semverCaret parses what semver parses, and nothing else', () => {
  fc.assert(
    fc.property(versionString, (version) => {
      const ours = parse(version);
      const theirs = semverParse(version) as (SemVer & Omit<ParsedVersion, 'prerelease'>) | null;
      assert.equal(ours === null, theirs === null, version);
      if (ours && theirs) {
        assert.deepEqual(
          [ours.major, ours.minor, ours.patch, ours.prerelease.map(String)],
          [theirs.major, theirs.minor, theirs.patch, theirs.prerelease.map(String)],
        );
      }
    }),
    { numRuns: 2000 },
  );
  assert.equal(parse(`1.2.3-${'a'.repeat(300)}`), null, 'longer than semver allows');
  assert.equal(parse(undefined), null);
});

test('semverCaret.satisfies answers as semver for ^x.y.z, with and without the pre-release tag', () => {
  fc.assert(
    fc.property(versionString, caretRange, fc.boolean(), (version, range, clearTag) => {
      const ours = parse(version);
      const theirs = semverParse(version);
      if (!ours || !theirs) return;
      // vscode-languageclient clears the tag of an Insiders build before it asks.
      if (clearTag) ours.prerelease = theirs.prerelease = [];
      assert.equal(satisfies(ours, range), semverSatisfies(theirs, range), `${version} ${range}`);
    }),
    { numRuns: 3000 },
  );
  const v = parse('1.100.0')!;
  assert.equal(satisfies(v, '^1.82.0'), true);
  assert.equal(satisfies(parse('1.81.9')!, '^1.82.0'), false);
  assert.equal(satisfies(parse('2.0.0')!, '^1.82.0'), false);
  assert.throws(() => satisfies(v, '>=1.82.0'), /only \^x\.y\.z/);
  assert.throws(() => satisfies(v, '^0.1.2'), /only \^x\.y\.z/);
});

test("trimClient drops the left-out features' requires and registrations, and keeps the others", () => {
  const source = readFileSync(join(COMMON, 'client.js'), 'utf8');
  const out = trimClient(source);
  for (const name of FEATURES_LEFT_OUT) assert.ok(!new RegExp(`\\b${name}_1\\b`).test(out), name);
  for (const kept of ['hover', 'completion', 'codeAction', 'rename', 'formatting', 'foldingRange', 'configuration'])
    assert.match(out, new RegExp(`this\\.registerFeature\\(new ${kept}_1\\.`), kept);
  assert.ok(out.length < source.length);
  // What it expects to find is gone: the build fails instead of bundling a half-trimmed client.
  assert.throws(() => trimClient(source.replace('const notebook_1 = require("./notebook");\n', '')), /notebook/);
  assert.throws(
    () => trimClient(source.replace('!(feature instanceof notebook_1.NotebookDocumentSyncFeature)', '!feature')),
    /expected 1/,
  );
  assert.throws(() => trimClient(`${source}\nnotebook_1.x();\n`), /notebook still used/);
  assert.throws(() => trimApi('exports.x = 1;\n'), /expected 1/);
});

test('the client bundle holds none of the left-out modules, semver or minimatch', async () => {
  const result = await esbuild.build({
    entryPoints: [join(REPO, 'client', 'src', 'extension.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    write: false,
    metafile: true,
    outfile: 'main.js',
    logLevel: 'silent',
    plugins: [trimLanguageClientPlugin],
    define: { 'import.meta.url': '""' },
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => p.replace(/\\/g, '/'));
  const common = (name: string) => inputs.some((p) => p.endsWith(`vscode-languageclient/lib/common/${name}.js`));
  for (const name of FEATURES_LEFT_OUT) assert.ok(!common(name), `${name} is bundled`);
  for (const name of ['client', 'hover', 'completion', 'codeAction', 'textSynchronization'])
    assert.ok(common(name), name);
  assert.ok(!inputs.some((p) => /node_modules\/(semver|minimatch|brace-expansion)\//.test(p)), inputs.join('\n'));
  assert.ok(inputs.some((p) => p.endsWith('client/src/semverCaret.ts')));
});

test("copyReExports copies the values of each module's `export *`s, and fails on any other source", () => {
  for (const module of REEXPORTING_MODULES) {
    const source = readFileSync(join(REPO, 'node_modules', module), 'utf8');
    const out = copyReExports(source, module);
    assert.notEqual(out, source, module);
    assert.ok(!out.includes('__createBinding(exports, m, p);\n'), module);
  }
  assert.throws(() => copyReExports('exports.x = 1;\n'), /expected 1/);
});

test('the bundled re-exports hold every name of the unbundled modules, as values but for the left-out ones', async () => {
  // The five modules bundled as the client bundle has them, next to the same modules from node_modules.
  const dir = mkdtempSync(join(tmpdir(), 'docksmith-reexports-'));
  const paths = REEXPORTING_MODULES.map((module) => join(REPO, 'node_modules', module));
  await esbuild.build({
    stdin: {
      contents: `module.exports = [${paths.map((p) => `require(${JSON.stringify(p)})`).join(', ')}];`,
      resolveDir: REPO,
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    outfile: join(dir, 'bundle.js'),
    keepNames: true, // functions keep their names, compared below
    logLevel: 'silent',
    plugins: [trimLanguageClientPlugin],
  });
  const script = `${STUB_VSCODE}
    const bundled = require(${JSON.stringify(join(dir, 'bundle.js'))});
    const shape = (v) => typeof v === 'function' ? 'function ' + v.name
      : v && typeof v === 'object' ? 'object ' + Object.keys(v).sort().join(',') : typeof v + ' ' + String(v);
    const out = ${JSON.stringify(paths)}.map((path, i) => {
      const original = require(path);
      const copy = bundled[i];
      const report = { names: 0, getters: 0, originalGetters: 0, leftOut: [], differ: [] };
      for (const name of Object.keys(original)) {
        report.names++;
        if (Object.getOwnPropertyDescriptor(original, name).get) report.originalGetters++;
        const d = Object.getOwnPropertyDescriptor(copy, name);
        if (!d) { report.differ.push(name + ': missing'); continue; }
        if (d.get) report.getters++;
        let value;
        try { value = copy[name]; } catch (e) {
          if (/not in the Docksmith client bundle/.test(e.message)) report.leftOut.push(name);
          else report.differ.push(name + ': ' + e.message);
          continue;
        }
        if (shape(value) !== shape(original[name])) report.differ.push(name + ': ' + shape(value) + ' / ' + shape(original[name]));
      }
      return report;
    });
    process.stdout.write(JSON.stringify(out));
  `;
  const file = join(dir, 'compare.js');
  writeFileSync(file, script);
  const result = spawnSync(process.execPath, [file], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  type Report = { names: number; getters: number; originalGetters: number; leftOut: string[]; differ: string[] };
  const reports = JSON.parse(result.stdout) as Report[];
  REEXPORTING_MODULES.forEach((module, i) => {
    const report = reports[i]!;
    assert.deepEqual(report.differ, [], module);
    assert.ok(report.names > 50, `${module}: ${report.names} names`);
    // Re-exported values are copied; a getter stays one (vscode-jsonrpc's api.js re-exports by name, with getters).
    assert.ok(
      report.getters < report.originalGetters,
      `${module}: ${report.getters} getters, ${report.originalGetters} unbundled`,
    );
  });
  const client = reports.at(-1)!; // vscode-languageclient/node: what the client imports
  assert.ok(client.getters < client.names / 2, `${client.getters} of ${client.names} are getters`);
  // The pull-diagnostics values left out of the bundle say so (trimApi), through every re-export.
  assert.deepEqual(reports.at(-1)!.leftOut.sort(), ['DiagnosticPullMode', 'vsdiag']);
});

/**
 * The client feature (module of vscode-languageclient/lib/common) behind each server capability and
 * each method the server may register dynamically. A capability missing here fails the test below:
 * add it, and keep its module out of FEATURES_LEFT_OUT if the server announces it.
 */
const FEATURE_OF: Record<string, string> = {
  textDocumentSync: 'textSynchronization',
  hoverProvider: 'hover',
  completionProvider: 'completion',
  codeActionProvider: 'codeAction',
  documentSymbolProvider: 'documentSymbol',
  foldingRangeProvider: 'foldingRange',
  definitionProvider: 'definition',
  referencesProvider: 'reference',
  documentHighlightProvider: 'documentHighlight',
  renameProvider: 'rename',
  documentFormattingProvider: 'formatting',
  documentRangeFormattingProvider: 'formatting',
  documentOnTypeFormattingProvider: 'formatting',
  executeCommandProvider: 'executeCommand',
  workspace: 'workspaceFolder',
  signatureHelpProvider: 'signatureHelp',
  declarationProvider: 'declaration',
  typeDefinitionProvider: 'typeDefinition',
  implementationProvider: 'implementation',
  codeLensProvider: 'codeLens',
  documentLinkProvider: 'documentLink',
  colorProvider: 'colorProvider',
  selectionRangeProvider: 'selectionRange',
  callHierarchyProvider: 'callHierarchy',
  typeHierarchyProvider: 'typeHierarchy',
  semanticTokensProvider: 'semanticTokens',
  linkedEditingRangeProvider: 'linkedEditingRange',
  inlayHintProvider: 'inlayHint',
  inlineValueProvider: 'inlineValue',
  diagnosticProvider: 'diagnostic',
  notebookDocumentSync: 'notebook',
  workspaceSymbolProvider: 'workspaceSymbol',
  'workspace/didChangeConfiguration': 'configuration',
  'workspace/didChangeWatchedFiles': 'fileSystemWatcher',
};

test('every capability the server announces or registers keeps its client feature', async () => {
  const client = new TestClient();
  const { capabilities } = await client.initialize();
  // The server registers in its `initialized` handler, before it answers anything sent later.
  await client.shutdown();
  const announced = [...Object.keys(capabilities), ...client.registrations];
  assert.ok(client.registrations.includes('workspace/didChangeConfiguration'), 'the test client asks for it');
  for (const capability of announced) {
    const feature = FEATURE_OF[capability];
    assert.ok(feature, `${capability}: which client feature is it? add it to FEATURE_OF`);
    assert.ok(
      !FEATURES_LEFT_OUT.includes(feature),
      `${capability} needs ${feature}, which the client bundle leaves out`,
    );
  }
});
