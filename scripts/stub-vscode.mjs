// The start of a script that loads the client bundle outside VS Code (scripts/bench.mjs, the client
// tests): `require('vscode')` then returns a stub in which any property is a constructible, callable
// stub (the bundle extends classes of it at load time). The script goes on from there.
export const STUB_VSCODE = `
  const Module = require('node:module');
  const stub = () => new Proxy(function () {}, {
    get: (t, p) => (p === '__esModule' ? false : p === Symbol.toPrimitive ? () => '' : p === 'prototype' ? t.prototype : stub()),
    apply: () => stub(),
    construct: () => stub(),
  });
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  require.cache['vscode'] = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub() };
`;
