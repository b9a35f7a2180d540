/**
 * The RUN merge must not change what the build does: proved by execution.
 *
 * fast-check generates groups of consecutive RUNs from a pool of shell snippets (lists, pipes,
 * compound commands, `cd`, `export`, assignments, `set -e`, `umask`, `exit`, functions, traps,
 * failing commands, files written, ...), written with trailing `;`/`&`, trailing comments,
 * continuation lines and comments between the RUNs, under several SHELLs, escape characters and
 * line endings. The consecutive-run fix is applied exactly as the editor would (the rule's
 * diagnostic, then its preferred fix). Then the original RUNs run one by one, as Docker runs them
 * (`<SHELL> <body>`, a fresh shell each, in the same sandbox folder, stopping at the first non-zero
 * status) and the merged RUN runs once in a fresh copy of the sandbox: exit status, stdout,
 * stderr and the files written (names, modes, contents) must be the same.
 *
 * Counterexamples found while building the merge are kept as example tests at the end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { applyEdits, rule } from '../helpers/rules';
import { doc, getService } from '../helpers/service';
import type { DiagnosticData } from '../../server/src/service/diagnostics';
import { effectiveInstruction, findAll } from '../../server/src/service/shell';

const ID = 'consecutive-run';
/** Fixed in `npm test`; `MERGE_SEED=n MERGE_RUNS=m` explores other seeds while working on the merge. */
const SEED = Number(process.env['MERGE_SEED'] ?? 20250611);
const RUNS = Number(process.env['MERGE_RUNS'] ?? 400);

// ---------------------------------------------------------------------------------------------
// The snippet pool: each is a complete command that can be joined with `;`, `&&` or `||`.

const SNIPPETS: readonly string[] = [
  'echo a',
  'echo b >&2',
  "printf '%s\\n' x y",
  'true',
  'false',
  'test -f nope',
  '[ -d d1 ]',
  'exit 0',
  'exit 3',
  'exit',
  '(exit 4)',
  'touch t1',
  'echo x > f1',
  'echo y >> f1',
  'mkdir -p d3/e',
  'cat f1',
  'cat f1 2>/dev/null || echo none',
  'rm -f f1',
  'ls',
  'cd d1',
  'cd d2',
  'cd /nonexistent-dir',
  'cd',
  'pwd',
  'export X=1',
  'X=2',
  'unset X',
  'echo "X=$X"',
  'readonly R=1',
  'R=2',
  'set -e',
  'set +e',
  'set -eu',
  'set -u',
  'echo "${UNSET_VAR}"',
  'set -x',
  'set -- a b',
  'echo "$#"',
  'shift',
  'umask 077',
  'umask 022',
  'touch m1',
  'umask',
  'f() { echo in-f; }',
  'f',
  'g() { return 2; }',
  'g',
  "trap 'echo trapped' EXIT",
  "alias ll='echo aliased'",
  'll',
  'if [ -f f1 ]; then echo has-f1; else echo no-f1; fi',
  'for i in 1 2; do echo "i=$i"; done',
  'echo "i=$i"',
  'while false; do :; done',
  'case "$X" in 1) echo one;; *) echo other;; esac',
  '{ echo g1; echo g2; }',
  '( cd d1 && touch sub )',
  'echo "status=$?"',
  'false || echo recovered',
  'true && echo anded',
  '! false',
  '! true',
  'echo piped | cat',
  'false | true',
  'true | false',
  'exec echo replaced',
  'i=0',
  'i=$((i+1))',
  'echo "$((i+1))"',
  ': "${Y:=def}"',
  'echo "Y=$Y"',
  "eval 'echo evaluated'",
  '. ./src.sh',
  'echo "S=$S"',
  'test -f t1 && echo t1-there',
  'echo "$(cat f1 2>/dev/null)"',
  'x=$(false)',
  'echo "$(false; echo sub)"',
  'wait',
  'echo *',
  'read -r line < f1',
  'echo "line=$line"',
  '(set -e; false; echo after-false)',
  '{ false; echo braced; }',
  'set -e; false; echo unreachable',
  'set -e; false && true; echo reached',
  'ulimit -c 0',
  "trap 'echo on-err' ERR",
  'set -o errexit',
  'set -ex',
  'false && true',
  '{ cd d2; }',
  'echo "$PWD" | sed "s|^$HOME|~|"',
  'echo "opts=$-"',
];

/** A snippet whose commands run concurrently. */
const isPipeline = (snippet: string) => snippet.includes(' | ');

/** Snippets that turn on xtrace. */
const XTRACE: readonly string[] = ['set -x', 'set -ex'];

/** Snippets that may run in the background without a race (no output, no files). */
const BACKGROUND_SAFE: readonly string[] = ['true', 'sleep 0', ':', '(exit 5)'];

const SHELLS: readonly (readonly string[] | undefined)[] = [
  undefined, // the default /bin/sh -c (dash here)
  undefined,
  ['/bin/bash', '-c'],
  ['/bin/sh', '-ec'],
  ['/bin/bash', '-o', 'pipefail', '-c'],
  ['/bin/bash', '-eux', '-o', 'pipefail', '-c'],
];

interface RunSpec {
  readonly items: readonly string[];
  readonly separators: readonly string[];
  readonly trailing: '' | ';' | ' ;' | ' &';
  readonly comment: string | null;
  /** Line breaks (continuations) after these word positions. */
  readonly breaks: readonly number[];
  readonly innerComment: boolean;
  readonly indent: string;
}

interface Scenario {
  readonly shell: readonly string[] | undefined;
  /** `ONBUILD RUN` instead of `RUN` (the bodies run the same way in the child build). */
  readonly onbuild: boolean;
  /** Leading whitespace before each instruction. */
  readonly lead: string;
  readonly backtick: boolean;
  readonly crlf: boolean;
  readonly runs: readonly RunSpec[];
  readonly between: readonly (readonly string[])[];
}

const runArb: fc.Arbitrary<RunSpec> = fc
  .record({
    items: fc.array(
      fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...SNIPPETS) },
        { weight: 1, arbitrary: fc.constantFrom(...BACKGROUND_SAFE) },
      ),
      { minLength: 1, maxLength: 3 },
    ),
    separators: fc.array(fc.constantFrom('; ', ' && ', ' || ', ';', '; ', ' && ', ' & '), {
      minLength: 2,
      maxLength: 2,
    }),
    trailing: fc.constantFrom(...(['', '', '', ';', ';', ' ;', '', '', ';', ' &'] as const)),
    comment: fc.option(fc.constantFrom('# note', '# has && and ; inside', '#x'), { freq: 4 }),
    breaks: fc.array(fc.nat(12), { maxLength: 3 }),
    innerComment: fc.boolean(),
    indent: fc.constantFrom('    ', '\t', '  ', ''),
  })
  .map((r) => {
    // `&` only after an AND-OR list of commands that are safe in the background.
    const separators: string[] = [];
    let quiet = true; // the AND-OR list so far is safe in the background
    for (let i = 0; i < r.items.length - 1; i++) {
      quiet = quiet && BACKGROUND_SAFE.includes(r.items[i]!);
      const s = r.separators[i]!;
      separators.push(s === ' & ' && !quiet ? '; ' : s);
      if (separators[i] === '; ' || separators[i] === ';' || separators[i] === ' & ') quiet = true;
    }
    quiet = quiet && BACKGROUND_SAFE.includes(r.items[r.items.length - 1]!);
    const trailing = r.trailing === ' &' && !quiet ? ';' : r.trailing;
    // Under `set -x`, concurrent processes (a background job, the commands of a pipeline) write their
    // trace lines at the same time, even in the middle of each other's lines: a RUN that traces has
    // neither (and a SHELL that traces has no `&` and no pipelines at all, see scenarioArb).
    const background = trailing === ' &' || separators.includes(' & ');
    const traces = r.items.some((item) => XTRACE.includes(item));
    const items = r.items.map((item) =>
      (background && XTRACE.includes(item)) || (traces && !background && isPipeline(item)) ? 'true' : item,
    );
    return { ...r, items, separators, trailing };
  });

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    shell: fc.constantFrom(...SHELLS),
    onbuild: fc.constantFrom(false, false, false, true),
    lead: fc.constantFrom('', '', '', '  '),
    backtick: fc.boolean(),
    crlf: fc.boolean(),
    runs: fc.array(runArb, { minLength: 2, maxLength: 5 }),
    between: fc.array(fc.array(fc.constantFrom('', '# between', '  # indented comment'), { maxLength: 2 }), {
      minLength: 4,
      maxLength: 4,
    }),
  })
  .map((s) => ({
    ...s,
    between: s.between.slice(0, s.runs.length - 1),
    // no background jobs under a SHELL that traces (see runArb)
    runs: s.shell?.some((w) => /^-[a-z]*x/.test(w))
      ? s.runs.map((r) => ({
          ...r,
          items: r.items.map((item) => (isPipeline(item) ? 'true' : item)),
          separators: r.separators.map((x) => (x === ' & ' ? '; ' : x)),
          trailing: r.trailing === ' &' ? (';' as const) : r.trailing,
        }))
      : s.runs,
  }));

/** The RUN instruction text for a spec (with `\n` line breaks). */
function runText(spec: RunSpec, escape: string, keyword: string): string {
  let body = spec.items[0]!;
  for (let i = 1; i < spec.items.length; i++) body += spec.separators[i - 1]! + spec.items[i]!;
  body += spec.trailing;
  if (spec.comment) body += ' ' + spec.comment;
  // Continuation lines: break at some spaces (anywhere: inside strings too; Docker joins them back).
  const spaces: number[] = [];
  for (let i = 0; i < body.length; i++) if (body[i] === ' ' && body[i + 1] !== '#') spaces.push(i);
  const cut = [
    ...new Set(spec.breaks.map((b) => spaces[b % Math.max(spaces.length, 1)]).filter((x) => x !== undefined)),
  ]
    .sort((a, b) => a - b)
    .filter((x) => x! > 0) as number[];
  let out = keyword;
  let from = 0;
  cut.forEach((at, k) => {
    out += body.slice(from, at) + ' ' + escape + '\n';
    if (spec.innerComment && k === 0) out += '# inner comment\n';
    out += spec.indent;
    from = at + 1;
  });
  return out + body.slice(from);
}

function dockerfile(s: Scenario): string {
  const escape = s.backtick ? '`' : '\\';
  const lines: string[] = [];
  if (s.backtick) lines.push('# escape=`');
  lines.push('FROM alpine');
  if (s.shell) lines.push(`SHELL ${JSON.stringify(s.shell)}`);
  s.runs.forEach((run, i) => {
    if (i > 0) lines.push(...s.between[i - 1]!);
    lines.push(s.lead + runText(run, escape, s.onbuild ? 'ONBUILD RUN ' : 'RUN '));
  });
  const text = lines.join('\n') + '\n';
  return s.crlf ? text.replace(/\n/g, '\r\n') : text;
}

// ---------------------------------------------------------------------------------------------
// Execution

const ENV = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C' };

interface Outcome {
  status: number;
  stdout: string;
  stderr: string;
  files: string[];
}

function sandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'docksmith-merge-'));
  mkdirSync(join(dir, 'd1'));
  mkdirSync(join(dir, 'd2'));
  writeFileSync(join(dir, 'src.sh'), 'echo sourced; S=1\n');
  chmodSync(dir, 0o755);
  return dir;
}

function snapshot(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const path = join(rel, name);
    const stat = lstatSync(join(dir, path));
    const mode = (stat.mode & 0o777).toString(8);
    if (stat.isDirectory()) {
      out.push(`${path}/ ${mode}`);
      out.push(...snapshot(dir, path));
    } else out.push(`${path} ${mode} ${JSON.stringify(readFileSync(join(dir, path), 'utf8'))}`);
  }
  return out;
}

/**
 * bash repeats the `+` of a trace line for nested shells (a trap run as a subshell exits shows
 * `++`): count it once. (Traced commands never run concurrently here: see runArb.)
 */
function normalizeTrace(stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => line.replace(/^\++ /, '+ '))
    .join('\n');
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the original bodies one by one (stopping at the first failure) in one sandbox and the merged
 * body in another, all from one driver shell (one process spawn per scenario keeps the test fast).
 */
function executeBoth(shell: readonly string[], originals: readonly string[], merged: string): [Outcome, Outcome] {
  const work = mkdtempSync(join(tmpdir(), 'docksmith-merge-run-'));
  const first = sandbox();
  const second = sandbox();
  try {
    originals.forEach((body, i) => writeFileSync(join(work, `body${i}`), body));
    writeFileSync(join(work, 'merged'), merged);
    const command = shell.map(quote).join(' ');
    const driver = [
      `T=${quote(work)}`,
      // Pipes into `cat`, as Docker reads the output: it ends when every writer (background jobs too) is done.
      `run() { { { cd "$1" && HOME="$1" ${command} "$(cat "$T/$2")"; echo $? >"$T/$2.st"; } 2>&1 1>&3 3>&- | cat >"$T/$2.err"; } 3>&1 | cat >"$T/$2.out"; }`,
      `for i in ${originals.map((_, i) => i).join(' ')}; do run ${quote(first)} "body$i"; [ "$(cat "$T/body$i.st")" = 0 ] || break; done`,
      `run ${quote(second)} merged`,
    ].join('\n');
    const r = spawnSync('/bin/sh', ['-c', driver], {
      env: ENV,
      timeout: 20_000,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (r.error) throw r.error;
    assert.equal(r.status, 0, `driver failed: ${r.stderr}`);
    const read = (name: string, dir: string) =>
      existsSync(join(work, name)) ? readFileSync(join(work, name), 'utf8').split(dir).join('<SANDBOX>') : '';
    const expected: Outcome = { status: 0, stdout: '', stderr: '', files: [] };
    for (let i = 0; i < originals.length; i++) {
      if (!existsSync(join(work, `body${i}.st`))) break;
      expected.stdout += read(`body${i}.out`, first);
      expected.stderr += read(`body${i}.err`, first);
      expected.status = Number(read(`body${i}.st`, first).trim());
    }
    expected.stderr = normalizeTrace(expected.stderr);
    expected.files = snapshot(first);
    const actual: Outcome = {
      status: Number(read('merged.st', second).trim()),
      stdout: read('merged.out', second),
      stderr: normalizeTrace(read('merged.err', second)),
      files: snapshot(second),
    };
    return [expected, actual];
  } finally {
    for (const dir of [work, first, second]) rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The fix, exactly as the editor applies it

interface Merged {
  readonly merged: string | undefined;
  readonly reasonCode: string | undefined;
  /** A RUN other than the last starts a background job: a sound reason to refuse. */
  readonly backgroundBeforeLast: boolean;
  readonly originals: string[];
  readonly mergedBodies: string[];
  readonly shell: readonly string[];
}

/** The real service with only this rule (the other rules do not take part in the merge; faster). */
let service: ReturnType<typeof getService> | undefined;
function ruleService() {
  service ??= getService({ rules: [rule(ID)] });
  return service;
}

async function diagnose(text: string) {
  const service = await ruleService();
  const document = doc(text);
  return { service, document, diagnostics: service.validate(document, { lang: 'en' }).filter((d) => d.code === ID) };
}

async function mergeThroughTheRule(text: string): Promise<Merged> {
  const { service, document, diagnostics } = await diagnose(text);
  assert.equal(diagnostics.length, 1, `one consecutive-run finding expected on:\n${text}`);
  const model = service.getModel(document);
  const runs = model.instructions.filter((i) => effectiveInstruction(i).getKeyword() === 'RUN');
  const originals = runs.map((r) => {
    const scripts = model.shellScripts(r);
    assert.equal(scripts.length, 1);
    return scripts[0]!.text;
  });
  const shell = model.shellFor(runs[0]!);
  const backgroundBeforeLast = runs
    .slice(0, -1)
    .some((r) => model.shellScripts(r).some((script) => findAll(script.root, '&').length > 0));
  const diagnostic = diagnostics[0]!;
  const data = (diagnostic.data as DiagnosticData).data as { reasonCode?: string };
  const proposals = rule(ID).fix!({ model, range: diagnostic.range, data });
  const preferred = proposals.find((p) => p.preferred);
  if (!preferred) {
    assert.ok(data.reasonCode, 'a refused merge says why in the diagnostic data');
    return { merged: undefined, reasonCode: data.reasonCode, backgroundBeforeLast, originals, mergedBodies: [], shell };
  }
  assert.equal(data.reasonCode, undefined, 'the data says no reason when the fix is offered');
  const merged = applyEdits(text, preferred.edits);
  const after = service.getModel(doc(merged));
  const mergedRuns = after.instructions.filter((i) => effectiveInstruction(i).getKeyword() === 'RUN');
  assert.equal(mergedRuns.length, 1, `one RUN after the merge:\n${merged}`);
  const mergedBodies = after.shellScripts(mergedRuns[0]!).map((s) => s.text);
  assert.equal(mergedBodies.length, 1);
  return { merged, reasonCode: undefined, backgroundBeforeLast, originals, mergedBodies, shell };
}

/**
 * The one known difference, documented in docs/rules/consecutive-run.md: bash exits with 127 on an
 * unbound variable (`set -u`) in the main shell but with 1 in a subshell. The build fails either
 * way, with the same message; only the exit code Docker prints differs.
 */
function bashUnboundQuirk(shell: readonly string[], expected: Outcome, actual: Outcome): boolean {
  return (
    shell[0] === '/bin/bash' &&
    expected.status === 127 &&
    actual.status === 1 &&
    expected.stderr === actual.stderr &&
    /: unbound variable\n$/.test(expected.stderr)
  );
}

async function checkScenario(text: string, stats?: { merged: number; refused: Map<string, number> }): Promise<void> {
  const result = await mergeThroughTheRule(text);
  if (result.merged === undefined) {
    const code = result.reasonCode!;
    stats?.refused.set(code, (stats.refused.get(code) ?? 0) + 1);
    // The one sound reason to refuse a generated group: a background job before the last RUN (it
    // would outlive its RUN). The pool has no heredoc, no `$_`, only POSIX shells, and nothing the
    // shell parser cannot read.
    assert.ok(code === 'background' && result.backgroundBeforeLast, `merge refused (${code}) on:\n${text}`);
    return;
    return;
  }
  if (stats) stats.merged++;
  const [expected, actual] = executeBoth(result.shell, result.originals, result.mergedBodies[0]!);
  if (bashUnboundQuirk(result.shell, expected, actual)) actual.status = expected.status;
  assert.deepEqual(
    actual,
    expected,
    `the merged RUN behaves differently.\n--- Dockerfile:\n${text}\n--- merged:\n${result.merged}\n--- original bodies:\n${result.originals.join('\n')}\n--- merged body:\n${result.mergedBodies[0]}`,
  );
  // Idempotent: nothing left to merge.
  const again = await diagnose(result.merged);
  assert.equal(again.diagnostics.length, 0, `still a group after merging:\n${result.merged}`);
}

test('property: the merged RUN behaves exactly like the RUNs one by one (fixed seed)', async (t) => {
  const stats = { merged: 0, refused: new Map<string, number>() };
  let total = 0;
  await fc.assert(
    fc.asyncProperty(scenarioArb, async (scenario) => {
      total++;
      await checkScenario(dockerfile(scenario), stats);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: false },
  );
  const ratio = stats.merged / total;
  t.diagnostic(
    `merged ${stats.merged} of ${total} generated groups (${(ratio * 100).toFixed(1)}%); refused: ${JSON.stringify(Object.fromEntries(stats.refused))}`,
  );
  const refusedSoundly = stats.refused.get('background') ?? 0;
  assert.equal(stats.merged + refusedSoundly, total);
  assert.ok(ratio >= 0.6, `the merge is offered for ${(ratio * 100).toFixed(1)}% of generated groups only`);
});

// ---------------------------------------------------------------------------------------------
// Counterexamples and hand-picked cases, kept as examples.

const EXAMPLES: readonly string[] = [
  // errexit in a non-last RUN: `set -e` is ignored in front of `&&`.
  'FROM alpine\nRUN set -e; false; echo unreachable\nRUN echo next\n',
  // a failing command in a `&&` list does not trigger `set -e`.
  'FROM alpine\nRUN set -e; false && true; echo reached\nRUN echo next\n',
  // state leaking: cd, export, umask, functions, traps, exit.
  'FROM alpine\nRUN cd d1\nRUN touch here\n',
  'FROM alpine\nRUN export X=1\nRUN echo "X=$X"\n',
  'FROM alpine\nRUN umask 077\nRUN touch m1\n',
  'FROM alpine\nRUN f() { echo in-f; }\nRUN f\n',
  "FROM alpine\nRUN trap 'echo trapped' EXIT\nRUN echo after\n",
  'FROM alpine\nRUN exit 0\nRUN echo still-runs\n',
  // `||` after `&&`: `x && a || b` would run b when x fails.
  'FROM alpine\nRUN false\nRUN true || echo recovered\n',
  // seed 2: tree-sitter-bash reads `a || b > f` as `(a || b) > f`; the `||` still needs braces.
  'FROM alpine\nRUN read -r line < f1\nRUN echo a\nRUN echo a || echo x > f1\n',
  // a trailing comment must not swallow the `&&`.
  'FROM alpine\nRUN echo a # note\nRUN echo b\n',
  // lists and background jobs.
  'FROM alpine\nRUN false; echo list\nRUN echo c\nRUN true &\n',
  // SHELL with -e: every RUN relies on errexit.
  'FROM alpine\nSHELL ["/bin/sh", "-ec"]\nRUN false; echo no\nRUN echo next\n',
  // continuation lines split inside a string: no re-indentation there.
  'FROM alpine\nRUN echo a\nRUN echo "x \\\n    y"\n',
  // escape=` and CRLF.
  '# escape=`\r\nFROM alpine\r\nRUN echo a `\r\n    b\r\nRUN cd d1; touch x\r\n',
];

if (process.env['MERGE_REPLAY']) {
  test('replay MERGE_REPLAY', async () => {
    await checkScenario(readFileSync(process.env['MERGE_REPLAY']!, 'utf8'));
  });
}

for (const [i, example] of EXAMPLES.entries()) {
  test(`example ${i + 1}: ${JSON.stringify(example.split(/\r?\n/).slice(1, 4).join(' | '))}`, async () => {
    await checkScenario(example);
  });
}
