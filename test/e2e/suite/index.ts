// The mocha runner VS Code calls inside the extension host (extensionTestsPath = test/out/e2e/index.js).
// Loads every *.test.js bundled next to it, runs them with the TDD interface, and writes
// { passes, failures, pending, tests } as JSON to $DOCKSMITH_E2E_RESULT when that is set: the launcher reads it as a
// second signal besides the workbench's exit code.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';

interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface SuiteResult {
  passes: number;
  failures: number;
  pending: number;
  tests: TestRecord[];
}

export async function run(): Promise<void> {
  // mocha 12 is an ES module: load it at run time from node_modules (it is external to the bundle).
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: Number(process.env.DOCKSMITH_E2E_TEST_TIMEOUT_MS) || 60_000,
  });
  const grep = process.env.DOCKSMITH_E2E_GREP;
  if (grep) mocha.grep(grep);

  const files = readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  for (const name of files) mocha.addFile(join(__dirname, name));
  await mocha.loadFilesAsync();

  // Under code-server the reporter's lines reach the launcher mixed with the workbench's own log: a marker tells them
  // apart (the launcher strips it). Mocha's reporters print through Base.consoleLog.
  const marker = process.env.DOCKSMITH_E2E_LOG_MARKER;
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const originalConsoleLog = base.consoleLog;
  if (marker) base.consoleLog = (...args: unknown[]) => originalConsoleLog(marker + format(...args));

  const result: SuiteResult = { passes: 0, failures: 0, pending: 0, tests: [] };
  const failures = await new Promise<number>((resolve, reject) => {
    try {
      const runner = mocha.run((count) => resolve(count));
      runner.on('pass', (test) => {
        result.passes++;
        result.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
      });
      runner.on('fail', (test, err: Error) => {
        result.failures++;
        result.tests.push({ title: test.fullTitle(), state: 'failed', error: err?.stack ?? String(err) });
      });
      runner.on('pending', (test) => {
        result.pending++;
        result.tests.push({ title: test.fullTitle(), state: 'pending' });
      });
    } catch (err) {
      reject(err);
    }
  }).finally(() => {
    base.consoleLog = originalConsoleLog;
  });

  const resultFile = process.env.DOCKSMITH_E2E_RESULT;
  if (resultFile) writeFileSync(resultFile, JSON.stringify({ files, ...result }, null, 2) + '\n');
  if (files.length === 0) throw new Error(`no *.test.js files next to ${__filename}`);
  if (failures > 0) throw new Error(`${failures} test(s) failed`);
}
