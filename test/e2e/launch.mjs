// `npm run test:e2e`: runs the mocha suite (test/out/e2e/index.js) inside a real VS Code, then the UI checks.
//
// Launchers, one suite:
//   - @vscode/test-electron, when VSCODE_EXECUTABLE points at a desktop VS Code, or when test-electron can download
//     VS Code 1.100.3 (it fails at once without internet) and a display is available;
//   - otherwise code-server 4.100.3 (VS Code 1.100.3) + headless Debian Chromium (see docs/e2e.md).
// Pass/fail: the workbench's exit code (codeAutomationExit) AND the suite's JSON result file ($DOCKSMITH_E2E_RESULT);
// 0 passing tests, a timeout or the console line "No extension host found" are failures too.
//
// Usage: node test/e2e/launch.mjs [--no-ui] [--ui-only] [--update-screenshots]
//        (for trying the machinery on another extension: --extension-development-path=DIR --extension-tests-path=FILE
//        --workspace=DIR; the UI checks then do not run)
// Env:   VSCODE_EXECUTABLE, DOCKSMITH_E2E_LAUNCHER=auto|code-server|electron, DOCKSMITH_E2E_TIMEOUT_MS (default 300000),
//        DOCKSMITH_E2E_GREP, DOCKSMITH_E2E_VERBOSE=1, DOCKSMITH_E2E_KEEP=1, DOCKSMITH_CHROMIUM (default /usr/bin/chromium)
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { format, stripVTControlCharacters } from 'node:util';
import {
  CODE_SERVER_VERSION,
  VSCODE_VERSION,
  chromiumPath,
  ensureCodeServer,
  launchChromium,
  payloadUrl,
  repoRoot,
  requireBinaries,
  startCodeServer,
  which,
} from '../../scripts/code-server.mjs';
import { buildSuite, outDir, suiteIndex } from './build.mjs';
import { runUiChecks } from './ui.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, fallback) => {
  const hit = argv.find((a) => a.startsWith(`${name}=`));
  return hit ? resolve(hit.slice(name.length + 1)) : fallback;
};

const extensionDevelopmentPath = option('--extension-development-path', repoRoot);
const extensionTestsPath = option('--extension-tests-path', suiteIndex);
const workspace = option('--workspace', join(repoRoot, 'examples'));
const runSuite = !flag('--ui-only');
const runUi = !flag('--no-ui') && extensionDevelopmentPath === repoRoot;
const timeoutMs = Number(process.env.DOCKSMITH_E2E_TIMEOUT_MS) || 5 * 60_000;
const verbose = !!process.env.DOCKSMITH_E2E_VERBOSE;
const logsDir = join(outDir, 'logs');
const LOG_MARKER = '@@docksmith-e2e@@ ';

// Colours (mocha's symbols colour themselves when CI is set) only where a terminal shows them.
const plain = (text) => (process.stdout.isTTY ? text : stripVTControlCharacters(text));
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const note = (msg) => console.log(`[e2e] ${msg}`);

/** Which launcher to use: { kind: 'electron', vscodeExecutablePath } or { kind: 'code-server', reason }. */
async function chooseLauncher() {
  const wanted = process.env.DOCKSMITH_E2E_LAUNCHER || 'auto';
  if (!['auto', 'code-server', 'electron'].includes(wanted)) {
    throw new Error(`DOCKSMITH_E2E_LAUNCHER must be auto, code-server or electron, not ${wanted}`);
  }
  if (wanted === 'code-server') return { kind: 'code-server', reason: 'DOCKSMITH_E2E_LAUNCHER=code-server' };
  if (process.env.VSCODE_EXECUTABLE) return { kind: 'electron', vscodeExecutablePath: process.env.VSCODE_EXECUTABLE };
  const { downloadAndUnzipVSCode } = await import('@vscode/test-electron');
  const silent = { report() {}, error() {} };
  let timer;
  try {
    const vscodeExecutablePath = await Promise.race([
      downloadAndUnzipVSCode({ version: VSCODE_VERSION, timeout: 10_000, reporter: silent }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer within 20 s')), 20_000);
      }),
    ]);
    const headlessLinux = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
    if (headlessLinux && wanted === 'auto') {
      return {
        kind: 'code-server',
        reason: `VS Code ${VSCODE_VERSION} is downloaded but there is no display (DISPLAY)`,
      };
    }
    return { kind: 'electron', vscodeExecutablePath };
  } catch (err) {
    if (wanted === 'electron')
      throw new Error(`@vscode/test-electron cannot get VS Code ${VSCODE_VERSION}: ${err.message}`, { cause: err });
    return {
      kind: 'code-server',
      reason: `@vscode/test-electron cannot download VS Code (${err.message.split('\n')[0]})`,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The suite's JSON result, or an explanation of why there is none. */
function readResult(resultFile) {
  if (!existsSync(resultFile)) return { error: `the suite wrote no result file (${resultFile})` };
  try {
    return JSON.parse(readFileSync(resultFile, 'utf8'));
  } catch (err) {
    return { error: `unreadable result file ${resultFile}: ${err.message}` };
  }
}

/** Judges a suite run from both signals. Returns { passes, failures, problems[] }. */
function judge({ exitCode, fatal, resultFile }) {
  const problems = [];
  if (fatal) problems.push(fatal);
  const result = readResult(resultFile);
  if (result.error) problems.push(result.error);
  const passes = result.passes ?? 0;
  const failures = result.failures ?? 0;
  if (exitCode !== undefined && exitCode !== 0) problems.push(`the workbench reported exit code ${exitCode}`);
  if (!result.error && passes === 0) problems.push('no test passed (0 passing)');
  if (failures > 0) {
    for (const t of result.tests.filter((x) => x.state === 'failed')) problems.push(`failed: ${t.title}`);
  }
  return { passes, failures: Math.max(failures, problems.length ? 1 : 0), problems };
}

async function runWithElectron({ vscodeExecutablePath, resultFile }) {
  const { runTests } = await import('@vscode/test-electron');
  console.log(`e2e launcher: @vscode/test-electron (${vscodeExecutablePath})`);
  let exitCode;
  let fatal;
  let timer;
  try {
    exitCode = await Promise.race([
      runTests({
        vscodeExecutablePath,
        extensionDevelopmentPath,
        extensionTestsPath,
        launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
        extensionTestsEnv: { DOCKSMITH_E2E_RESULT: resultFile },
      }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${seconds(timeoutMs)}`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    fatal = `VS Code run failed: ${err.message ?? err}`;
  } finally {
    clearTimeout(timer);
  }
  return judge({ exitCode, fatal, resultFile });
}

function saveLogs(logs, server, workbenchLog) {
  rmSync(logsDir, { recursive: true, force: true });
  mkdirSync(logsDir, { recursive: true });
  writeFileSync(join(logsDir, 'workbench-console.log'), workbenchLog.join('\n') + '\n');
  for (const { relativePath, contents } of logs ?? []) {
    const target = join(logsDir, 'workbench', relativePath);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, contents);
  }
  if (server && existsSync(server.logFile)) {
    copyFileSync(server.logFile, join(logsDir, 'code-server.log'));
  }
  return logsDir;
}

async function runInCodeServer({ resultFile }) {
  const t0 = Date.now();
  requireBinaries([
    [chromiumPath, 'chromium'],
    ['rg', 'ripgrep'],
  ]); // before a 2-minute install, not after
  await ensureCodeServer();
  const server = await startCodeServer({
    workspace,
    extensionDevelopmentPath,
    env: { DOCKSMITH_E2E_RESULT: resultFile, DOCKSMITH_E2E_LOG_MARKER: LOG_MARKER },
  });
  note(`code-server ready in ${seconds(Date.now() - t0)} at ${server.url}`);
  const workbenchLog = [];
  let browser;
  let outcome;
  let timer;
  try {
    browser = await launchChromium();
    const { page } = browser;
    let settle;
    const done = new Promise((r) => {
      settle = r;
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      workbenchLog.push(`[${type}] ${text}`);
      // The suite's reporter lines carry the marker; the workbench's own log is shown only when verbose or an error.
      const at = text.indexOf(LOG_MARKER);
      if (at >= 0) process.stdout.write(plain(text.slice(at + LOG_MARKER.length)) + '\n');
      else if (verbose || type === 'error') process.stderr.write(`[workbench ${type}] ${text}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => settle({ exitCode: code, logs }));
    page.on('console', (msg) => {
      const text = msg.text();
      if (text.includes('No extension host found')) {
        settle({ fatal: `the workbench says: ${text.split('\n')[0]} (are the payload URIs vscode-remote://?)` });
      }
      if (verbose) process.stderr.write(`[browser ${msg.type()}] ${text}\n`);
    });
    page.on('pageerror', (err) => verbose && process.stderr.write(`[browser pageerror] ${err.message}\n`));
    page.on('crash', () => settle({ fatal: 'the browser page crashed' }));
    server.exited.then((e) => settle({ fatal: `code-server exited during the run (${e.signal ?? e.code})` }));
    timer = setTimeout(() => settle({ fatal: `no result within ${seconds(timeoutMs)} (timeout)` }), timeoutMs);
    const url = payloadUrl({
      url: server.url,
      folder: workspace,
      extensionDevelopmentPath: server.extensionDevelopmentPath,
      extensionTestsPath,
    });
    if (verbose) note(`opening ${url}`);
    await page.goto(url);
    outcome = await done;
  } catch (err) {
    outcome = { fatal: err.message ?? String(err) };
  } finally {
    clearTimeout(timer);
    await browser?.close();
  }
  const verdict = judge({ ...outcome, resultFile });
  if (verdict.problems.length) note(`logs saved to ${saveLogs(outcome.logs, server, workbenchLog)}`);
  await server.stop();
  return verdict;
}

async function main() {
  const started = Date.now();
  await buildSuite();
  if (extensionDevelopmentPath === repoRoot) {
    const main = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).main;
    if (!existsSync(join(repoRoot, main))) throw new Error(`${main} is missing: run \`npm run build\` first`);
  }
  if (!existsSync(join(workspace, 'Dockerfile')) && workspace === join(repoRoot, 'examples')) {
    throw new Error('examples/Dockerfile is missing');
  }

  const launcher = await chooseLauncher();
  const totals = { passes: 0, failures: 0, problems: [] };
  const add = (r) => {
    totals.passes += r.passes;
    totals.failures += r.failures;
    totals.problems.push(...r.problems);
  };

  if (runSuite) {
    const resultFile = join(tmpdir(), `docksmith-e2e-result-${process.pid}.json`);
    rmSync(resultFile, { force: true });
    const t = Date.now();
    let verdict;
    if (launcher.kind === 'electron') {
      verdict = await runWithElectron({ vscodeExecutablePath: launcher.vscodeExecutablePath, resultFile });
    } else {
      console.log(`e2e launcher: code-server ${CODE_SERVER_VERSION} (VS Code ${VSCODE_VERSION}) + Chromium`);
      note(`(${launcher.reason})`);
      verdict = await runInCodeServer({ resultFile });
    }
    rmSync(resultFile, { force: true });
    note(`mocha suite: ${verdict.passes} passed, ${verdict.failures} failed in ${seconds(Date.now() - t)}`);
    add(verdict);
  }

  if (runUi && launcher.kind === 'electron' && !which(chromiumPath)) {
    // The UI checks always drive code-server with Chromium; on a desktop-VS Code machine without it, say so and go on.
    note(`UI checks skipped: ${chromiumPath} is missing (install Debian's chromium or set DOCKSMITH_CHROMIUM)`);
  } else if (runUi) {
    console.log(
      `\ne2e UI checks: code-server ${CODE_SERVER_VERSION} (VS Code ${VSCODE_VERSION}) + Chromium (Playwright)`,
    );
    const t = Date.now();
    const ui = await runUiChecks({ workspace });
    note(`UI checks: ${ui.passes} passed, ${ui.failures} failed in ${seconds(Date.now() - t)}`);
    add(ui);
  }

  for (const p of totals.problems) console.error(`[e2e] problem: ${p}`);
  note(`total time ${seconds(Date.now() - started)}`);
  console.log(`e2e: ${totals.passes} passed, ${totals.failures} failed`);
  return totals.failures === 0 && totals.problems.length === 0 && totals.passes > 0 ? 0 : 1;
}

let exiting = false;
const bail = (signal) => {
  if (exiting) return;
  exiting = true;
  console.error(`[e2e] ${signal}: stopping`);
  process.exit(130); // the 'exit' hooks kill code-server's process group
};
process.on('SIGINT', () => bail('SIGINT'));
process.on('SIGTERM', () => bail('SIGTERM'));

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[e2e] error: ${(verbose && err.stack) || err.message || err}`);
    console.log('e2e: 0 passed, 1 failed');
    process.exit(1);
  },
);
