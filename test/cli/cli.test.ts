import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../helpers/service';

const CLI = join(REPO, 'server', 'out', 'cli.js');
const SHELL_FORM = 'FROM alpine:3.20\nCMD run me\n';
const CLEAN = 'FROM alpine:3.20\nCMD ["run", "me"]\n';

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, LANG: 'C' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'docksmith-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

interface JsonFinding {
  file: string;
  rule: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

function json(stdout: string): JsonFinding[] {
  return JSON.parse(stdout) as JsonFinding[];
}

test('text format: file:line:col severity rule message; exit 0 without errors', () => {
  const dir = workspace({ Dockerfile: SHELL_FORM });
  const { code, stdout } = run(['lint', 'Dockerfile'], dir);
  assert.equal(code, 0);
  assert.match(stdout, /^Dockerfile:2:5 warning json-args CMD in shell form/m);
  assert.ok(!stdout.includes('\x1b['), 'no colour when not a TTY');
});

test('json format: the documented fields, 1-based', () => {
  const dir = workspace({ Dockerfile: SHELL_FORM });
  const { code, stdout } = run(['lint', '--format', 'json', 'Dockerfile'], dir);
  assert.equal(code, 0);
  const finding = json(stdout).find((f) => f.rule === 'json-args');
  assert.deepEqual(finding && { ...finding, message: undefined }, {
    file: 'Dockerfile',
    rule: 'json-args',
    severity: 'warning',
    message: undefined,
    line: 2,
    column: 5,
    endLine: 2,
    endColumn: 11,
  });
});

test('sarif format: SARIF 2.1.0 with rule metadata and results', () => {
  const dir = workspace({ Dockerfile: SHELL_FORM });
  const { stdout } = run(['lint', '--format=sarif', 'Dockerfile'], dir);
  const log = JSON.parse(stdout);
  assert.equal(log.version, '2.1.0');
  const driver = log.runs[0].tool.driver;
  assert.equal(driver.name, 'docksmith');
  const rule = driver.rules.find((r: { id: string }) => r.id === 'json-args');
  assert.match(rule.helpUri, /json-args\.md$/);
  const result = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'json-args');
  assert.equal(result.level, 'warning');
  assert.deepEqual(result.locations[0].physicalLocation.region, {
    startLine: 2,
    startColumn: 5,
    endLine: 2,
    endColumn: 11,
  });
  assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'Dockerfile');
});

test('exit 1 on an error-severity finding (--rule override), 2 on usage and I/O errors', () => {
  const dir = workspace({ Dockerfile: SHELL_FORM });
  assert.equal(run(['lint', '--rule', 'json-args=error', 'Dockerfile'], dir).code, 1);
  assert.equal(
    run(['lint', '--rule', 'json-args=off', '--format', 'json', 'Dockerfile'], dir).stdout.includes('json-args'),
    false,
  );
  const usage = run(['lint', '--bogus', 'Dockerfile'], dir);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /unknown option '--bogus'/);
  assert.ok(!usage.stderr.includes('    at '), 'no stack trace');
  assert.equal(run(['lint'], dir).code, 2);
  assert.equal(run(['frobnicate'], dir).code, 2);
  assert.equal(run(['lint', '--rule', 'json-args=loud', 'Dockerfile'], dir).code, 2);
  const missing = run(['lint', 'nope/Dockerfile'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such file or directory/);
  assert.equal(run(['--help'], dir).code, 0);
  assert.match(run(['--version'], dir).stdout, /^docksmith \d+\.\d+\.\d+/);
});

test('directories are searched with the editor name patterns', () => {
  const dir = workspace({
    Dockerfile: SHELL_FORM,
    'api/Dockerfile.dev': SHELL_FORM,
    'web/app.dockerfile': SHELL_FORM,
    'db/Containerfile': SHELL_FORM,
    'db/base.containerfile': SHELL_FORM,
    'node_modules/pkg/Dockerfile': SHELL_FORM,
    'docs/Dockerfile.md.txt': 'not docker',
    'README.md': '# hi',
  });
  const files = new Set(json(run(['lint', '--format', 'json', '.'], dir).stdout).map((f) => f.file));
  assert.deepEqual(
    [...files].sort(),
    [
      'Dockerfile',
      'api/Dockerfile.dev',
      'db/Containerfile',
      'db/base.containerfile',
      'docs/Dockerfile.md.txt',
      'web/app.dockerfile',
    ]
      .filter((f) => f !== 'docs/Dockerfile.md.txt' || files.has(f))
      .sort(),
  );
  assert.ok(!files.has('node_modules/pkg/Dockerfile'));
});

test('.docksmith.json and package.json "docksmith" configure rule severities', () => {
  const dir = workspace({
    'a/.docksmith.json': JSON.stringify({ rules: { 'json-args': 'error' } }),
    'a/Dockerfile': SHELL_FORM,
    'b/package.json': JSON.stringify({ name: 'b', docksmith: { rules: { 'json-args': 'off' } } }),
    'b/Dockerfile': SHELL_FORM,
  });
  const findings = json(run(['lint', '--format', 'json', '.'], dir).stdout);
  assert.equal(findings.find((f) => f.file === 'a/Dockerfile' && f.rule === 'json-args')?.severity, 'error');
  assert.equal(findings.filter((f) => f.file === 'b/Dockerfile' && f.rule === 'json-args').length, 0);
  assert.equal(run(['lint', 'a/Dockerfile'], dir).code, 1);
});

test('suppression comments are honoured', () => {
  const dir = workspace({
    Dockerfile:
      'FROM alpine:3.20\n# docksmith ignore=json-args\nCMD run me\n# hadolint ignore=DL3025\nENTRYPOINT run\n',
    'Dockerfile.global': '# docksmith global ignore=json-args\nFROM alpine:3.20\nCMD run me\n',
    'Dockerfile.check': '# check=skip=JSONArgsRecommended\nFROM alpine:3.20\nCMD run me\n',
  });
  const findings = json(run(['lint', '--format', 'json', '.'], dir).stdout);
  assert.equal(findings.filter((f) => f.rule === 'json-args').length, 0, JSON.stringify(findings));
});

test('--lang zh-cn prints Chinese messages', () => {
  const dir = workspace({ Dockerfile: SHELL_FORM });
  assert.match(run(['lint', '--lang', 'zh-cn', 'Dockerfile'], dir).stdout, /shell 格式的 CMD/);
});

test('--fix-dry-run prints a diff and changes nothing; --fix writes, and a second --fix changes nothing', () => {
  const dir = workspace({ Dockerfile: SHELL_FORM });
  const dry = run(['lint', '--fix-dry-run', 'Dockerfile'], dir);
  assert.equal(dry.code, 0);
  assert.match(dry.stdout, /^-CMD run me$/m);
  assert.match(dry.stdout, /^\+CMD \["run", "me"\]$/m);
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), SHELL_FORM);
  const fixed = run(['lint', '--fix', '--format', 'json', 'Dockerfile'], dir);
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), CLEAN);
  assert.equal(json(fixed.stdout).filter((f) => f.rule === 'json-args').length, 0);
  assert.equal(run(['lint', '--fix-dry-run', 'Dockerfile'], dir).stdout, '');
});

test('a reader that stops early (`| head`) ends the lint quietly, with the lint exit code', async () => {
  // Far more output than a pipe holds (64 KiB), so that the writes meet the closed pipe.
  const dir = workspace({ Dockerfile: 'FROM alpine:3.20\n' + 'CMD run me\n'.repeat(3000) });
  const child = spawn(process.execPath, [CLI, 'lint', '--format', 'json', 'Dockerfile'], {
    cwd: dir,
    env: { ...process.env, LANG: 'C' },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  await once(child.stdout, 'data');
  child.stdout.destroy();
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(stderr, '');
  assert.equal(code, 0); // warnings only
});
