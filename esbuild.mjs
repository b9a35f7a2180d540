// Bundles the client, the language server and the CLI. tsc only type-checks (`npm run typecheck`).
// Usage: node esbuild.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arrayLoopsPlugin } from './scripts/array-loops.mjs';
import { cjsConstantsPlugin } from './scripts/cjs-constants.mjs';
import { eagerModuleFactories } from './scripts/eager-modules.mjs';
import { lazyCryptoPlugin } from './scripts/lazy-crypto.mjs';
import { trimLanguageClientPlugin } from './scripts/trim-language-client.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** Every Markdown file under `dir`, keyed by its path relative to `dir` with forward slashes. */
function readMarkdownTree(dir) {
  const out = {};
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.md') && name !== 'README.md')
        out[relative(dir, p).split(sep).join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** `import docs from 'docksmith:docs'` -> the hover docs (server/src/service/docs) as one object. */
const docsPlugin = {
  name: 'docksmith-docs',
  setup(build) {
    const docsDir = join(root, 'server/src/service/docs');
    build.onResolve({ filter: /^docksmith:docs$/ }, () => ({ path: 'docs', namespace: 'docksmith-docs' }));
    build.onLoad({ filter: /.*/, namespace: 'docksmith-docs' }, () => ({
      contents: JSON.stringify(readMarkdownTree(docsDir)),
      loader: 'json',
      watchDirs: [docsDir],
    }));
  },
};

/** The shell parser's WASM files go next to the server bundle (read at start-up, not bundled as base64). */
function copyWasm() {
  mkdirSync(join(root, 'server/out'), { recursive: true });
  copyFileSync(join(root, 'node_modules/web-tree-sitter/tree-sitter.wasm'), join(root, 'server/out/tree-sitter.wasm'));
  copyFileSync(
    join(root, 'node_modules/tree-sitter-bash/tree-sitter-bash.wasm'),
    join(root, 'server/out/tree-sitter-bash.wasm'),
  );
}

/**
 * web-tree-sitter loads Node's `module` and `fs/promises` with `import()`. The server bundle runs
 * through a V8 code cache (server/src/codeCache.ts), where a script cannot `import()`: these become
 * `require`s of the bundle's own (its `require` by another name: web-tree-sitter declares a `var
 * require` of its own in the same function). The build fails if web-tree-sitter changes them.
 */
const nodeImportsPlugin = {
  name: 'docksmith-node-imports',
  setup(build) {
    build.onLoad({ filter: /[\\/]web-tree-sitter[\\/]tree-sitter\.c?js$/ }, ({ path }) => {
      let found = 0;
      const contents = readFileSync(path, 'utf8').replace(
        /\bimport\((["'])(module|fs\/promises)\1\)/g,
        (_, q, name) => {
          found++;
          return `Promise.resolve(__docksmithRequire(${q}${name}${q}))`;
        },
      );
      if (found === 0)
        throw new Error(`${path}: no import() of module or fs/promises left to replace; see esbuild.mjs`);
      return { contents, loader: 'js' };
    });
  },
};

/**
 * The client bundle's module factories are compiled when the bundle is (scripts/eager-modules.mjs):
 * activation requires every one of them at once. Runs after each build, watch mode included.
 */
const eagerModulesPlugin = {
  name: 'docksmith-eager-modules',
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length > 0) return;
      const file = build.initialOptions.outfile;
      const mapFile = `${file}.map`;
      const hasMap = build.initialOptions.sourcemap === true;
      const code = readFileSync(file, 'utf8');
      const { code: out, map } = eagerModuleFactories(
        code,
        hasMap ? JSON.parse(readFileSync(mapFile, 'utf8')) : undefined,
      );
      writeFileSync(file, out);
      if (map) writeFileSync(mapFile, JSON.stringify(map));
    });
  },
};

/**
 * A bundle run through a V8 code cache (the client's main.js, the server's langserver.js) gets a new
 * cache on its first start (server/src/codeCache.ts). V8 checks a cache against the length of the
 * source only: a rebuild of the same length would run the bytecode of the build before. Each build
 * removes the cache of the one before, so the next start writes its own.
 */
const staleCodeCachePlugin = {
  name: 'stale-code-cache',
  setup(build) {
    build.onStart(() => {
      const outfile = build.initialOptions.outfile;
      const dir = dirname(outfile);
      const stem = `${basename(outfile, '.js')}.`;
      let names;
      try {
        names = readdirSync(dir);
      } catch {
        return; // no output folder yet
      }
      for (const name of names)
        if (name.startsWith(stem) && name.endsWith('.cache')) rmSync(join(dir, name), { force: true });
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  plugins: [docsPlugin],
  // web-tree-sitter is an ES module that locates itself through import.meta.url.
  define: { 'import.meta.url': '__docksmithImportMetaUrl' },
  banner: { js: "const __docksmithImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

/** The server's and the CLI's imports of these CommonJS packages read constants (scripts/cjs-constants.mjs). */
const cjsConstants = cjsConstantsPlugin(
  ['dockerfile-ast', 'dockerfile-utils', 'vscode-languageserver-types'],
  join(root, 'server', 'src') + sep,
);

/** The server's and the CLI's `for...of` loops over arrays, as indexed loops (scripts/array-loops.mjs). */
const arrayLoops = arrayLoopsPlugin(join(root, 'server', 'tsconfig.json'), join(root, 'server', 'src') + sep);

const builds = [
  // The client is always minified: it is loaded at activation (the server keeps readable stacks in development).
  // extension.js is the entry point, a small loader that runs main.js through a V8 code cache (client/src/loader.ts).
  {
    ...common,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'client/out/main.js',
    external: ['vscode'],
    minify: true,
    plugins: [...common.plugins, lazyCryptoPlugin, trimLanguageClientPlugin, eagerModulesPlugin, staleCodeCachePlugin],
  },
  {
    ...common,
    entryPoints: ['client/src/loader.ts'],
    outfile: 'client/out/extension.js',
    external: ['vscode'],
    minify: true,
  },
  // server.js is the entry point (the docksmith-langserver command), a small loader that runs
  // langserver.js through a V8 code cache (server/src/loader.ts).
  {
    ...common,
    entryPoints: ['server/src/server.ts'],
    outfile: 'server/out/langserver.js',
    plugins: [docsPlugin, nodeImportsPlugin, cjsConstants, arrayLoops, staleCodeCachePlugin],
    banner: { js: common.banner.js + '\nconst __docksmithRequire = require;' },
  },
  {
    ...common,
    entryPoints: ['server/src/loader.ts'],
    outfile: 'server/out/server.js',
    sourcemap: false,
    minify: true,
    banner: { js: '#!/usr/bin/env node' },
    define: {},
  },
  {
    ...common,
    entryPoints: ['server/src/cli.ts'],
    outfile: 'server/out/cli.js',
    plugins: [docsPlugin, cjsConstants, arrayLoops],
    banner: { js: '#!/usr/bin/env node\n' + common.banner.js },
  },
];

copyWasm();
// A build without source maps removes those an earlier build left: a map next to a bundle it does
// not describe would send stack traces and profiles (scripts/bench-profile.mjs) to the wrong lines.
for (const options of builds) if (options.sourcemap !== true) rmSync(`${options.outfile}.map`, { force: true });
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching');
} else {
  const t0 = performance.now();
  await Promise.all(builds.map((options) => esbuild.build(options)));
  console.log(`esbuild: built client, server and cli in ${Math.round(performance.now() - t0)} ms`);
}
