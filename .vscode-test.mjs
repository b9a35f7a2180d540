// @vscode/test-cli configuration, for developers with a desktop VS Code: `npm run build && node test/e2e/build.mjs`,
// then `npx vscode-test` (downloads VS Code 1.100.3 into .vscode-test/). CI and machines without a desktop VS Code use
// `npm run test:e2e` instead (code-server + Chromium, see docs/e2e.md). Same compiled tests, test/out/e2e/*.test.js.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'e2e',
  files: 'test/out/e2e/**/*.test.js',
  workspaceFolder: './examples',
  version: '1.100.3',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'tdd', timeout: 60_000 },
});
