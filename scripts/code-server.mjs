// code-server 4.100.3 (VS Code 1.100.3) + Debian Chromium, for the editor tests and `npm start`.
//
// ensureCodeServer()   installs code-server into <repo>/.vscode-test/code-server-4.100.3/ (git-ignored, cached)
// startCodeServer()    starts an isolated server (fresh user data, no gallery, own process group)
// payloadUrl()         the workbench URL that loads a folder, the extension under development and a test suite
// launchChromium()     headless Chromium through playwright-core, with a fresh profile
//
// System requirements (Debian packages): chromium (/usr/bin/chromium), ripgrep (rg); g++, make and python3 to
// compile code-server's native modules once at install time. See docs/e2e.md.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  copyFileSync,
  symlinkSync,
  chmodSync,
  accessSync,
  constants as fsConstants,
} from 'node:fs';
import { get as httpGet } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const VSCODE_VERSION = '1.100.3';
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const cacheRoot = join(repoRoot, '.vscode-test');
export const installDir = join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`);
export const chromiumPath = process.env.DOCKSMITH_CHROMIUM || '/usr/bin/chromium';

const MARKER = '.docksmith-install-complete';
const codeServerPkg = () => join(installDir, 'node_modules', 'code-server');
/** The Node entry point of the installed code-server. */
export const codeServerEntry = () => join(codeServerPkg(), 'out', 'node', 'entry.js');

// Native modules of the VS Code server that must be compiled for this Node. `kerberos` is left out on purpose: it is
// only imported lazily for Kerberos proxy authentication, and building it would need libkrb5-dev.
const NATIVE_MODULES = ['@parcel/watcher', '@vscode/deviceid', '@vscode/spdlog', 'native-watchdog', 'node-pty'];

const progress = (msg) => process.stderr.write(`[code-server] ${msg}\n`);

/** Finds an executable on PATH (or an absolute path); returns its path or undefined. */
export function which(name) {
  const candidates = name.includes('/') ? [name] : (process.env.PATH || '').split(delimiter).map((d) => join(d, name));
  for (const c of candidates) {
    try {
      accessSync(c, fsConstants.X_OK);
      return c;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** Throws a clear error naming each missing binary and the Debian package that provides it. */
export function requireBinaries(list) {
  const missing = list.filter(([bin]) => !which(bin));
  if (missing.length) {
    const lines = missing.map(([bin, pkg]) => `  ${bin} (Debian package: ${pkg})`);
    const pkgs = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
    throw new Error(
      `missing system binaries:\n${lines.join('\n')}\ninstall them with: apt-get install -y --no-install-recommends ${pkgs}`,
    );
  }
}

function isInstalled() {
  try {
    const marker = JSON.parse(readFileSync(join(installDir, MARKER), 'utf8'));
    return (
      marker.version === CODE_SERVER_VERSION &&
      marker.nodeModulesAbi === process.versions.modules &&
      existsSync(codeServerEntry())
    );
  } catch {
    return false;
  }
}

/** Environment for nested npm runs: drop the outer `npm run`'s npm_* variables so they cannot leak in. */
function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_/i.test(k)) env[k] = v;
  }
  // node-gyp compiles with all cores.
  return { ...env, JOBS: process.env.JOBS || 'max' };
}

function run(cmd, args, { cwd, logFile, allowFailure = false }) {
  return new Promise((resolvePromise, reject) => {
    const fd = openSync(logFile, 'a');
    writeFileSync(fd, `\n$ (cd ${cwd} && ${cmd} ${args.join(' ')})\n`);
    const child = spawn(cmd, args, { cwd, env: cleanEnv(), stdio: ['ignore', fd, fd] });
    child.on('error', (err) => {
      closeSync(fd);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      closeSync(fd);
      if (code === 0 || allowFailure) resolvePromise(code);
      else {
        const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
        reject(
          new Error(`\`${cmd} ${args.join(' ')}\` in ${cwd} failed (${signal ?? code}); log: ${logFile}\n${tail}`),
        );
      }
    });
  });
}

/**
 * Installs code-server 4.100.3 into .vscode-test/code-server-4.100.3 unless a completed install is already there.
 * Follows the offline recipe: npm install without scripts, the VS Code server's own dependencies, ripgrep from
 * Debian, native modules rebuilt for this Node, the symlinks the postinstall script would have made.
 * Returns the install directory.
 */
export async function ensureCodeServer() {
  if (isInstalled()) return installDir;
  requireBinaries([
    ['rg', 'ripgrep'],
    ['g++', 'g++'],
    ['make', 'make'],
    ['python3', 'python3'],
    ['npm', 'npm'],
  ]);
  const started = Date.now();
  mkdirSync(cacheRoot, { recursive: true });
  // Build in a private staging folder and rename it into place at the end: an interrupted install never looks
  // complete, and two concurrent installs do not trample each other.
  const staging = mkdtempSync(join(cacheRoot, `code-server-${CODE_SERVER_VERSION}.partial-`));
  const logFile = join(cacheRoot, `code-server-${CODE_SERVER_VERSION}-install.log`);
  writeFileSync(logFile, `code-server ${CODE_SERVER_VERSION} install, ${new Date().toISOString()}\n`);
  progress(`installing code-server ${CODE_SERVER_VERSION} into ${installDir} (1-2 minutes, log: ${logFile})`);
  const step = async (label, cmd, args, cwd, opts = {}) => {
    const t = Date.now();
    progress(`${label} ...`);
    await run(cmd, args, { cwd, logFile, ...opts });
    progress(`${label}: done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };
  try {
    writeFileSync(
      join(staging, 'package.json'),
      JSON.stringify({ name: 'docksmith-code-server-cache', private: true }, null, 2) + '\n',
    );
    const npmQuiet = ['--no-audit', '--no-fund', '--loglevel=error'];
    await step(
      'npm install code-server (no scripts)',
      'npm',
      ['install', '--ignore-scripts', ...npmQuiet, `code-server@${CODE_SERVER_VERSION}`],
      staging,
    );
    const vscodeDir = join(staging, 'node_modules', 'code-server', 'lib', 'vscode');
    await step(
      'npm install VS Code server dependencies',
      'npm',
      ['install', '--omit=dev', '--ignore-scripts', ...npmQuiet],
      vscodeDir,
    );
    // @vscode/ripgrep downloads its binary from GitHub in a postinstall script: use Debian's instead.
    const rgDir = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
    mkdirSync(rgDir, { recursive: true });
    copyFileSync(which('rg'), join(rgDir, 'rg'));
    chmodSync(join(rgDir, 'rg'), 0o755);
    // node-pty's own install script ends with an `npx` call that fails offline after the module is built: the
    // exit status is ignored here and the built binaries are checked below instead.
    await step(
      `npm rebuild ${NATIVE_MODULES.join(' ')}`,
      'npm',
      ['rebuild', ...npmQuiet, ...NATIVE_MODULES],
      vscodeDir,
      { allowFailure: true },
    );
    const builtNatives = [
      'node_modules/@vscode/spdlog/build/Release/spdlog.node',
      'node_modules/native-watchdog/build/Release/watchdog.node',
      'node_modules/node-pty/build/Release/pty.node',
    ];
    const notBuilt = builtNatives.filter((p) => !existsSync(join(vscodeDir, p)));
    if (notBuilt.length) throw new Error(`native modules were not built: ${notBuilt.join(', ')}; log: ${logFile}`);
    // What code-server's postinstall.sh does besides `npm install`.
    symlinkSync('node_modules', join(vscodeDir, 'node_modules.asar'));
    symlinkSync('code-linux.sh', join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
    symlinkSync('browser-linux.sh', join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
    await step(
      'npm install built-in extensions dependencies',
      'npm',
      ['install', '--omit=dev', '--ignore-scripts', ...npmQuiet],
      join(vscodeDir, 'extensions'),
    );
    await step('npm rebuild argon2', 'npm', ['rebuild', ...npmQuiet, 'argon2'], staging);
    writeFileSync(
      join(staging, MARKER),
      JSON.stringify(
        {
          version: CODE_SERVER_VERSION,
          nodeModulesAbi: process.versions.modules,
          node: process.version,
          completedAt: new Date().toISOString(),
        },
        null,
        2,
      ) + '\n',
    );
    if (isInstalled()) {
      rmSync(staging, { recursive: true, force: true }); // someone else finished first
    } else {
      rmSync(installDir, { recursive: true, force: true }); // an old or broken install
      renameSync(staging, installDir);
    }
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  progress(`code-server ${CODE_SERVER_VERSION} installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return installDir;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePromise(port));
    });
  });
}

export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'files.hotExit': 'off',
  'editor.hover.delay': 100,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
};

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/** Whether GET `url` answers 2xx within 2 s. */
function httpOk(url) {
  return new Promise((resolvePromise) => {
    const req = httpGet(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolvePromise(res.statusCode >= 200 && res.statusCode < 300);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolvePromise(false));
  });
}

/**
 * Starts code-server isolated: fresh user-data and extensions folders under a temp folder, seeded settings, no
 * extension gallery, no config file, its own process group, a free port on 127.0.0.1. Resolves once GET /healthz
 * answers. `env` goes on the server process (the extension host inherits it).
 *
 * `extensionDevelopmentPath`: the extension to load. Use the returned `extensionDevelopmentPath` in the payload: when
 * code-server's own folder lies inside the extension (as .vscode-test/ does inside the repo), the workbench takes every
 * built-in theme for a theme of the extension under development and switches to it (Light+, no file icons). A symlink
 * outside the repo avoids that.
 * Returns { url, port, userDataDir, extensionsDir, extensionDevelopmentPath, logFile, tempDir, exited, stop() }.
 */
export async function startCodeServer({
  workspace,
  env = {},
  port,
  settings = {},
  extensionDevelopmentPath,
  verbose = !!process.env.DOCKSMITH_E2E_VERBOSE,
  healthTimeoutMs = 60_000,
} = {}) {
  if (!isInstalled()) await ensureCodeServer();
  requireBinaries([['rg', 'ripgrep']]);
  const tempDir = mkdtempSync(join(tmpdir(), 'docksmith-code-server-'));
  const userDataDir = join(tempDir, 'user-data');
  const extensionsDir = join(tempDir, 'extensions');
  const configFile = join(tempDir, 'config.yaml');
  const logFile = join(tempDir, 'code-server.log');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(configFile, '');
  let devPath = extensionDevelopmentPath && resolve(extensionDevelopmentPath);
  if (devPath && (installDir + '/').startsWith(devPath + '/')) {
    const link = join(tempDir, 'dev', basename(devPath));
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(devPath, link);
    devPath = link;
  }
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2) + '\n',
  );
  port ??= await freePort();
  const host = '127.0.0.1';
  const args = [
    codeServerEntry(),
    '--config',
    configFile,
    '--bind-addr',
    `${host}:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];
  if (workspace) args.push(workspace);
  // Variables of an enclosing VS Code (terminal IPC hooks, Electron-as-Node) must not reach this server.
  const baseEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(VSCODE_|ELECTRON_)/.test(k)) baseEnv[k] = v;
  }
  const logFd = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, {
    cwd: workspace || repoRoot,
    env: { ...baseEnv, EXTENSIONS_GALLERY: '{}', ...env },
    detached: true,
    stdio: ['ignore', verbose ? 'inherit' : logFd, verbose ? 'inherit' : logFd],
  });
  closeSync(logFd);
  let exited = null;
  const exitPromise = new Promise((r) => child.once('exit', (code, signal) => r((exited = { code, signal }))));
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onProcessExit = () => killGroup('SIGKILL');
  process.on('exit', onProcessExit);

  let stopped = false;
  const stop = async ({ keepTemp = !!process.env.DOCKSMITH_E2E_KEEP } = {}) => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
      await exitPromise;
      clearTimeout(timer);
    }
    killGroup('SIGKILL'); // extension host, pty host, file watcher: whatever outlived the server
    process.off('exit', onProcessExit);
    if (keepTemp) progress(`kept ${tempDir}`);
    else rmSync(tempDir, { recursive: true, force: true });
  };

  const url = `http://${host}:${port}`;
  const deadline = Date.now() + healthTimeoutMs;
  for (;;) {
    if (exited) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '';
      await stop({ keepTemp: false });
      throw new Error(`code-server exited during startup (${exited.signal ?? exited.code}):\n${log}`);
    }
    if (await httpOk(`${url}/healthz`)) break;
    if (Date.now() > deadline) {
      await stop({ keepTemp: true });
      throw new Error(`code-server did not answer ${url}/healthz within ${healthTimeoutMs / 1000} s; log: ${logFile}`);
    }
    await delay(100); // poll interval
  }
  return {
    url,
    port,
    host,
    userDataDir,
    extensionsDir,
    extensionDevelopmentPath: devPath,
    logFile,
    tempDir,
    process: child,
    exited: exitPromise,
    stop,
  };
}

/** A vscode-remote:// URI for a path on the code-server machine. */
export function remoteUri(authority, path) {
  return `vscode-remote://${authority}${encodeURI(resolve(path)).replace(/[?#]/g, encodeURIComponent)}`;
}

/**
 * The workbench URL that opens `folder` and passes the extension-development payload. Extension paths must be
 * vscode-remote:// URIs: plain paths or file:// make the run hang with "No extension host found".
 */
export function payloadUrl({ url, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const authority = new URL(url).host;
  const payload = [];
  if (extensionDevelopmentPath)
    payload.push(['extensionDevelopmentPath', remoteUri(authority, extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(authority, extensionTestsPath)]);
  const query = [];
  if (folder) query.push(`folder=${encodeURIComponent(resolve(folder))}`);
  if (payload.length) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${url}/${query.length ? '?' + query.join('&') : ''}`;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Headless Debian Chromium through playwright-core, in a persistent context with a fresh profile folder.
 * Returns { context, page, close() }; close() also removes the profile.
 */
export async function launchChromium({
  viewport = { width: 1280, height: 800 },
  deviceScaleFactor = 1,
  headless = true,
} = {}) {
  requireBinaries([[chromiumPath, 'chromium']]);
  const { chromium } = await import('playwright-core');
  const profileDir = mkdtempSync(join(tmpdir(), 'docksmith-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless,
      args: headless ? CHROMIUM_ARGS : CHROMIUM_ARGS.filter((a) => a !== '--headless'),
      viewport,
      deviceScaleFactor,
      colorScheme: 'dark',
    });
  } catch (err) {
    rmSync(profileDir, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(profileDir, { recursive: true, force: true });
  };
  return { context, page, close };
}
