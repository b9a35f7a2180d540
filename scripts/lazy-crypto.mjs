// vscode-jsonrpc requires Node's `crypto` when it loads, to name pipes (generateRandomPipeName), which
// the client's IPC transport never does. Loading `crypto` is ~4 ms of every activation (VS Code's
// extension host does not load it itself): in the client bundle (esbuild.mjs), vscode-jsonrpc gets a
// stand-in that requires it on first use.

/** The stand-in module: Node's `crypto`, required on first use of any of its members. */
export const LAZY_CRYPTO_SOURCE = `let crypto;
const real = () => (crypto ??= require('node:crypto'));
module.exports = new Proxy({}, {
  get: (_, key) => real()[key],
  has: (_, key) => key in real(),
  ownKeys: () => Reflect.ownKeys(real()),
  getOwnPropertyDescriptor: (_, key) => {
    const d = Reflect.getOwnPropertyDescriptor(real(), key);
    return d && { ...d, configurable: true };
  },
});
`;

/** esbuild plugin: `require('crypto')` from vscode-jsonrpc resolves to the stand-in. */
export const lazyCryptoPlugin = {
  name: 'docksmith-lazy-crypto',
  setup(build) {
    build.onResolve({ filter: /^crypto$/ }, ({ importer }) =>
      /[\\/]vscode-jsonrpc[\\/]/.test(importer) ? { path: 'crypto', namespace: 'docksmith-lazy-crypto' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'docksmith-lazy-crypto' }, () => ({
      contents: LAZY_CRYPTO_SOURCE,
      loader: 'js',
    }));
  },
};
