// The client bundle is mostly vscode-languageclient, and a first activation is mostly V8 compiling
// and running it (client/src/loader.ts). Two parts of it do nothing for Docksmith:
//
// - The client features of LSP requests the Docksmith server does not implement (semantic tokens,
//   notebooks, pull diagnostics, inlay hints, ...: FEATURES_LEFT_OUT). LanguageClient registers every
//   feature it has; one whose server capability is absent only fills in the client capabilities.
//   They are left out of client.js's registerBuiltinFeatures() and of the bundle. Every request the
//   server announces keeps its feature (test/client/trimLanguageClient.test.ts starts the server and
//   checks). ~75 KB of the bundle, with minimatch, which only those features use.
// - semver (20 KB; building its regular expressions is a good part of loading it), which the client
//   uses once, to check that VS Code satisfies its required version (`^1.82.0`). client/src/semverCaret.ts
//   does that check for caret ranges, what the client uses; its test compares it with semver.
//
// - The re-exports on the way to the client's entry point (REEXPORTING_MODULES): TypeScript's
//   `export *` makes a getter, with its own closure, for every name of the module re-exported, and
//   the names of vscode-jsonrpc, the protocol and its types are re-exported up to four times over
//   (~1,260 getters on every load). A module's exports are all set by the time `require` returns it
//   (no cycle runs through these files), so its values are copied instead; a getter stays a getter
//   (the pull-diagnostics values below, vscode-jsonrpc's re-exports by name). ~4-8 ms of a first
//   activation's ~45 ms. test/client/trimLanguageClient.test.ts compares every name with the
//   unbundled modules'.
//
// The build fails when vscode-languageclient changes what is rewritten here.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SEMVER_CARET = join(dirname(fileURLToPath(import.meta.url)), '..', 'client', 'src', 'semverCaret.ts');

/** Feature modules of vscode-languageclient/lib/common left out of the bundle. */
export const FEATURES_LEFT_OUT = [
  'callHierarchy',
  'codeLens',
  'colorProvider',
  'declaration',
  'diagnostic',
  'documentLink',
  'fileOperations',
  'implementation',
  'inlayHint',
  'inlineValue',
  'linkedEditingRange',
  'notebook',
  'selectionRange',
  'semanticTokens',
  'signatureHelp',
  'typeDefinition',
  'typeHierarchy',
  'workspaceSymbol',
];

/** Replaces `from` in `source` exactly `count` times, or fails the build. */
function replaceExactly(source, from, to, count, file) {
  const parts = source.split(from);
  if (parts.length - 1 !== count)
    throw new Error(
      `${file}: expected ${count} of ${JSON.stringify(from)}, found ${parts.length - 1}; see scripts/trim-language-client.mjs`,
    );
  return parts.join(to);
}

/** client.js without the features left out: their requires, registrations and the one other use. */
export function trimClient(source, file = 'client.js') {
  let out = source;
  for (const name of FEATURES_LEFT_OUT) {
    out = replaceExactly(out, `const ${name}_1 = require("./${name}");\n`, '', 1, file);
    out = out.replace(new RegExp(`^ *this\\.registerFeature\\(new ${name}_1\\.\\w+\\(this\\)\\);\\n`, 'gm'), '');
  }
  // With no notebook feature registered, getFeature() of its method is undefined: nothing else to ask.
  out = replaceExactly(
    out,
    '(feature === undefined || !(feature instanceof notebook_1.NotebookDocumentSyncFeature))',
    '(feature === undefined || true)',
    1,
    file,
  );
  const left = FEATURES_LEFT_OUT.filter((name) => new RegExp(`\\b${name}_1\\b`).test(out));
  if (left.length > 0) throw new Error(`${file}: ${left.join(', ')} still used; see scripts/trim-language-client.mjs`);
  return out;
}

/** api.js re-exports two values of the pull-diagnostics module: they stay, as getters that say why they are gone. */
export function trimApi(source, file = 'api.js') {
  return replaceExactly(
    source,
    'var diagnostic_1 = require("./diagnostic");\n',
    'var diagnostic_1 = new Proxy({}, { get(_, key) { throw new Error(`vscode-languageclient: ${String(key)} is not in the Docksmith client bundle (scripts/trim-language-client.mjs)`); } });\n',
    1,
    file,
  );
}

/** The modules whose `export *`s are copied (see the top of this file), under node_modules. */
export const REEXPORTING_MODULES = [
  'vscode-jsonrpc/lib/node/main.js',
  'vscode-languageserver-protocol/lib/common/api.js',
  'vscode-languageserver-protocol/lib/node/main.js',
  'vscode-languageclient/lib/common/api.js',
  'vscode-languageclient/lib/node/main.js',
];
const REEXPORTING = new RegExp(
  `[\\\\/](${REEXPORTING_MODULES.map((m) => m.replace(/[./]/g, (c) => (c === '/' ? '[\\\\/]' : '\\.'))).join('|')})$`,
);

/** TypeScript's `export *` loop, and the same with values copied (getters still re-exported as getters). */
const EXPORT_STAR =
  'for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);';
const COPY_STAR =
  'for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) ' +
  '{ var d = Object.getOwnPropertyDescriptor(m, p); if (d && "value" in d) exports[p] = d.value; else __createBinding(exports, m, p); }';

/** Whether esbuild's `path` is `module` (a path under node_modules, with `/`). */
const isModule = (path, module) => path.replace(/\\/g, '/').endsWith(`/${module}`);

/** One of REEXPORTING_MODULES with its `export *`s copying values. */
export function copyReExports(source, file = 'module') {
  return replaceExactly(source, EXPORT_STAR, COPY_STAR, 1, file);
}

/** esbuild plugin for the client bundle (esbuild.mjs). */
export const trimLanguageClientPlugin = {
  name: 'docksmith-trim-language-client',
  setup(build) {
    build.onLoad({ filter: /[\\/]vscode-languageclient[\\/]lib[\\/]common[\\/]client\.js$/ }, ({ path }) => ({
      contents: trimClient(readFileSync(path, 'utf8'), path),
      loader: 'js',
    }));
    build.onLoad({ filter: REEXPORTING }, ({ path }) => {
      let source = readFileSync(path, 'utf8');
      if (isModule(path, 'vscode-languageclient/lib/common/api.js')) source = trimApi(source, path);
      if (isModule(path, 'vscode-languageclient/lib/node/main.js')) {
        const range = /const REQUIRED_VSCODE_VERSION = '([^']*)'/.exec(source)?.[1];
        if (!range || !/^\^[1-9]\d*\.\d+\.\d+$/.test(range))
          throw new Error(
            `${path}: REQUIRED_VSCODE_VERSION ${range} is not ^x.y.z; see scripts/trim-language-client.mjs`,
          );
      }
      return { contents: copyReExports(source, path), loader: 'js' };
    });
    build.onResolve({ filter: /^semver\/functions\/(parse|satisfies)$/ }, ({ path, importer }) =>
      /[\\/]vscode-languageclient[\\/]/.test(importer) ? { path, namespace: 'docksmith-semver' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'docksmith-semver' }, ({ path }) => ({
      contents: `module.exports = require(${JSON.stringify(SEMVER_CARET)}).${path.endsWith('parse') ? 'parse' : 'satisfies'};\n`,
      resolveDir: dirname(SEMVER_CARET),
      loader: 'js',
    }));
  },
};
