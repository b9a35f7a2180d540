// The language server's imports of CommonJS packages (dockerfile-ast, dockerfile-utils,
// vscode-languageserver-types) read plain constants instead of getters.
//
// esbuild turns `import { Onbuild } from 'dockerfile-ast'` into `import_dockerfile_ast.Onbuild`,
// where `import_dockerfile_ast` copies the package's exports as getters (esbuild's `__toESM`, for
// live bindings), and dockerfile-ast's own exports are getters too (TypeScript's re-exports): every
// use of an imported name is two function calls, in every `instanceof Onbuild` of every rule. Until
// V8 optimises the caller that is real work: a cold open of the generated 1,000-line file ran ~4%
// more instructions with them, warm re-opens of it and of moby's Dockerfile took up to 9% more CPU
// (docs/performance.md, eighteenth session).
//
// Here each such import resolves to a small ES module that reads every export once, when the server
// loads, and exports it as a constant (`export const { Onbuild, ... } = pkg`); esbuild then refers to
// those constants directly. A package's exports are all defined once it has loaded, and none of
// these three reassigns one later, which is what the getters would have followed. The module
// requires the package, as the libraries do: one copy of it in the bundle.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const NAMESPACE = 'docksmith-cjs-constants';
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The ES module that stands for `pkg`: its exports, each read once, as constants. */
export function constantsModule(pkg, names = Object.keys(require(pkg))) {
  const exported = names.filter((name) => IDENTIFIER.test(name) && name !== 'default' && name !== '__esModule');
  if (exported.length === 0) throw new Error(`${pkg}: no exports to read (scripts/cjs-constants.mjs)`);
  // require(), not import: a package with an ES module build for `import` (vscode-languageserver-types)
  // would otherwise come twice into the bundle, and the copy the sources read would not be the one the
  // libraries require (astPatches.ts patches the latter's Range.create()).
  return `const pkg = require(${JSON.stringify(pkg)});\nexport const { ${exported.join(', ')} } = pkg;\n`;
}

/** esbuild plugin: `packages` imported from a module under `sources` resolve to their constants module. */
export function cjsConstantsPlugin(packages, sources) {
  const filter = new RegExp(`^(${packages.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
  return {
    name: NAMESPACE,
    setup(build) {
      build.onResolve({ filter }, ({ path, importer, namespace, resolveDir }) =>
        namespace === 'file' && importer.startsWith(sources)
          ? { path, namespace: NAMESPACE, pluginData: { resolveDir } }
          : undefined,
      );
      // The package itself is resolved from where it was imported.
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, ({ path, pluginData }) => ({
        contents: constantsModule(path),
        resolveDir: pluginData.resolveDir,
        loader: 'js',
      }));
    },
  };
}
