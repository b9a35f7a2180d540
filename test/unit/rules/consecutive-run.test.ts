import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectFindings, fixes, findings } from '../../helpers/rules';
import type { DiagnosticData } from '../../../server/src/service/diagnostics';
import type { ConsecutiveRunData } from '../../../server/src/service/rules/consecutive-run';
import { getService, doc } from '../../helpers/service';
import { isMergeEdits, mergeAllEdits, planMerge } from '../../../server/src/service/merge';
import { applyEdits } from '../../helpers/rules';

const ID = 'consecutive-run';

async function data(text: string, index = 0): Promise<ConsecutiveRunData> {
  const { diagnostics } = await findings(ID, text);
  assert.ok(diagnostics[index], `no finding #${index}`);
  return (diagnostics[index]!.data as DiagnosticData).data as ConsecutiveRunData;
}

/** The fix is not offered, and the diagnostic says why (reason code). */
async function expectNoFix(text: string, code: string): Promise<void> {
  assert.deepEqual(await fixes(ID, text), [], `a fix was offered on:\n${text}`);
  const d = await data(text);
  assert.equal(d.reasonCode, code, `reason on:\n${text}`);
  assert.ok(d.reason && d.reason.en.length > 10 && /[\u4e00-\u9fff]/.test(d.reason['zh-cn']));
}

// ---------------------------------------------------------------------------------------------
// Findings

test('two or more consecutive RUNs: one finding from the second RUN keyword to the last', async () => {
  await expectFindings(ID, 'FROM a\nRUN a\n«RUN» b\n');
  await expectFindings(ID, 'FROM a\nRUN a\n«RUN b\nRUN» c\n');
  await expectFindings(ID, 'FROM a\nrun a\n«run» b\n');
  await expectFindings(ID, 'FROM a\nRUN a \\\n  && b\n«RUN» c\n');
});

test('only comments and blank lines may stand between the RUNs', async () => {
  await expectFindings(ID, 'FROM a\nRUN a\n# a comment\n\n# another\n«RUN» b\n');
  await expectFindings(ID, 'FROM a\nRUN a\nWORKDIR /\nRUN b\n');
  await expectFindings(
    ID,
    'FROM a\nRUN a\nENV X=1\nRUN b\nRUN c\nCOPY . .\nRUN d\n'.replace('RUN b\nRUN c', 'RUN b\n«RUN» c'),
  );
});

test('a group never spans stages; RUNs before any FROM group too (as in hadolint)', async () => {
  await expectFindings(ID, 'FROM a AS one\nRUN a\nFROM b\nRUN b\n');
  await expectFindings(ID, 'RUN /foo.sh\n# a comment\n«RUN» /bar.sh\n');
  assert.equal(await applyFix(ID, 'RUN a\nRUN b\n'), 'RUN a && \\\n    b\n');
});

test('flags compared as sets: equal sets group, different flags do not (like hadolint)', async () => {
  await expectFindings(
    ID,
    'FROM a\nRUN --mount=type=cache,target=/c --network=none a\n«RUN» --network=none --mount=type=cache,target=/c b\n',
  );
  await expectFindings(ID, 'FROM a\nRUN --mount=type=secret,id=foo a\nRUN b\n');
  await expectFindings(ID, 'FROM a\nRUN --mount=type=secret,id=foo a\nRUN --mount=type=secret,id=bar b\n');
  await expectFindings(ID, 'FROM a\nRUN --mount=type=secret,id=foo a\n«RUN» --mount=type=secret,id=foo b\n');
});

test('exec form splits a group; exec-form RUNs are never grouped', async () => {
  await expectFindings(ID, 'FROM a\nRUN a\nRUN ["b"]\nRUN c\n«RUN» d\n');
  await expectFindings(ID, 'FROM a\nRUN ["a"]\nRUN ["b"]\n');
  await expectFindings(ID, 'FROM a\nRUN\nRUN b\n');
});

test('deliberately differs from hadolint DL3059: RUNs that already chain commands are still separate layers', async () => {
  await expectFindings(ID, 'FROM a\nRUN foo && bar\n«RUN» foobar\n');
  await expectFindings(ID, 'FROM a\nRUN foo; bar\n«RUN» foobar\n');
});

test('ONBUILD RUN groups with ONBUILD RUN only', async () => {
  await expectFindings(ID, 'FROM a\nONBUILD RUN a\n«ONBUILD RUN» b\n');
  await expectFindings(ID, 'FROM a\nRUN a\nONBUILD RUN b\nRUN c\n');
  await expectFindings(ID, 'FROM a\nONBUILD RUN a\nONBUILD COPY . .\nONBUILD RUN b\n');
});

test('heredocs are reported too (each RUN is a layer)', async () => {
  await expectFindings(ID, 'FROM a\nRUN <<EOF\napt-get update\nEOF\n«RUN» echo b\n');
});

test('suppression: an ignore comment above a RUN starts a new group there', async () => {
  await expectFindings(ID, 'FROM a\nRUN a\n# hadolint ignore=DL3059\nRUN b\n');
  await expectFindings(ID, 'FROM a\nRUN a\n# docksmith ignore=consecutive-run\nRUN b\n');
  await expectFindings(ID, 'FROM a\nRUN a\n«RUN» b\n# hadolint ignore=DL3059\nRUN c\n');
  await expectFindings(ID, 'FROM a\nRUN a\n# hadolint ignore=DL3059\nRUN b\n«RUN» c\n');
  await expectFindings(ID, '# docksmith global ignore=consecutive-run\nFROM a\nRUN a\nRUN b\n');
});

test('messages in English and Chinese; related information points at the first RUN', async () => {
  const en = await findings(ID, 'FROM a\nRUN a\nRUN b\nRUN c\n');
  assert.match(en.diagnostics[0]!.message, /^3 consecutive RUN instructions/);
  const related = en.diagnostics[0]!.relatedInformation!;
  assert.equal(related.length, 1);
  assert.deepEqual(related[0]!.location.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } });
  assert.match(related[0]!.message, /first of the 3 RUN/);
  const zh = await findings(ID, 'FROM a\nRUN a\nRUN b\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /连续 2 条 RUN 指令/);
  assert.match(zh.diagnostics[0]!.message, /避免创建多层/);
  assert.deepEqual(await data('FROM a\nRUN a\n# c\nRUN b \\\n  c\n'), { lines: [1, 3], end: 4 });
});

// ---------------------------------------------------------------------------------------------
// The merge: exact output

test('fix: joined with ` && \\` and indented 4 spaces by default; the title counts the RUNs', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN apt-get update\nRUN apt-get install -y curl\n'),
    'FROM a\nRUN apt-get update && \\\n    apt-get install -y curl\n',
  );
  const [proposal] = await fixes(ID, 'FROM a\nRUN a\nRUN b\nRUN c\n');
  assert.equal(proposal!.preferred, true);
  assert.deepEqual(proposal!.titleArgs, [3]);
  assert.equal(proposal!.title.en, 'Merge {0} RUN instructions into one');
  assert.equal(await applyFix(ID, 'FROM a\nRUN a\nRUN b\nRUN c\n'), 'FROM a\nRUN a && \\\n    b && \\\n    c\n');
});

test('fix: comments between are kept in place, blank lines dropped, no trailing whitespace', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN a   \n\n# install\n\n   # more  \nRUN b\nCMD x\n'),
    'FROM a\nRUN a && \\\n    # install\n    # more\n    b\nCMD x\n',
  );
});

test('fix: suppression comments between the RUNs move above the merged RUN', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN apt-get update\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\n'),
    'FROM a\n# hadolint ignore=DL3008\nRUN apt-get update && \\\n    apt-get install -y curl\n',
  );
});

test('fix: a moved comment goes above the ignore comments of the first RUN', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\n# about a\n# hadolint ignore=DL3008\nRUN a # note\nRUN b\n'),
    'FROM a\n# about a\n# note\n# hadolint ignore=DL3008\nRUN a && \\\n    b\n',
  );
});

test('fix: a trailing comment moves to its own line so it cannot swallow the `&&`', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN make # build\nRUN make install # and install\n'),
    'FROM a\n# build\nRUN make && \\\n    # and install\n    make install\n',
  );
  // a comment continued on the next line (Docker joins it into the comment)
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN a\nRUN b # note \\\n  && not-run\n'),
    'FROM a\nRUN a && \\\n  # note   && not-run\n  b\n', // the file indents continuation lines by 2
  );
});

test('fix: trailing `;` and whitespace removed', async () => {
  assert.equal(await applyFix(ID, 'FROM a\nRUN a ;  \nRUN b;\n'), 'FROM a\nRUN a && \\\n    b\n');
});

test('fix: lists are grouped so `&&` applies to all of them; `||` after `&&` too', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN a; b\nRUN c || d\nRUN e & f\n'),
    'FROM a\nRUN { a; b; } && \\\n    { c || d; } && \\\n    { e & f; }\n',
  );
  // the first part needs no group for `||`: `a || b && c` is `(a || b) && c`
  assert.equal(await applyFix(ID, 'FROM a\nRUN a || b\nRUN c\n'), 'FROM a\nRUN a || b && \\\n    c\n');
  // pipelines, negation and `&&` lists stay as they are
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN a | b\nRUN ! c\nRUN d && e\n'),
    'FROM a\nRUN a | b && \\\n    ! c && \\\n    d && e\n',
  );
  // a trailing `&` on the last part
  assert.equal(await applyFix(ID, 'FROM a\nRUN a\nRUN b &\n'), 'FROM a\nRUN a && \\\n    { b & }\n');
});

test('fix: a part that changes shell state runs in a subshell unless it is the last', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN cd /src && make\nRUN make install\n'),
    'FROM a\nRUN ( cd /src && make ) && \\\n    make install\n',
  );
  for (const body of [
    'export X=1',
    'X=1',
    'unset X',
    'umask 077',
    'f() { x; }',
    'trap "echo" EXIT',
    'exit 0',
    'set -o pipefail',
    'alias x=y',
    'read x',
    'for f in *; do echo $f; done',
    'i=$((i+1))',
    ': ${X:=1}',
    'exec >log',
  ]) {
    const merged = await applyFix(ID, `FROM a\nRUN ${body}\nRUN b\n`);
    assert.ok(
      merged.startsWith(`FROM a\nRUN ( ${body} ) && \\\n`) || merged.includes(`( ${body}`),
      `${body}:\n${merged}`,
    );
  }
  // no state: no subshell
  for (const body of [
    'echo $X',
    'X=1 make',
    '(cd /x && make)',
    'x=$(cd /; pwd) cmd',
    'command -v x',
    '[ -f x ]',
    '$HOME/bin/x',
    '"$JAVA_HOME/bin/java" -version',
  ]) {
    assert.equal(await applyFix(ID, `FROM a\nRUN ${body}\nRUN b\n`), `FROM a\nRUN ${body} && \\\n    b\n`, body);
  }
  // a part that reads `$-` must not see the merge's `set -e`
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN set -e; a\nRUN echo $-\n'),
    'FROM a\nRUN set -e; \\\n    ( set -e; a ); \\\n    set +e; echo $-\n',
  );
  // `.`, `source`, `eval` may turn `set -e` on: the step form, which keeps it working
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN . ./env && make\nRUN b\n'),
    'FROM a\nRUN set -e; \\\n    ( set +e; . ./env && make ); \\\n    b\n',
  );
  // a computed command name might be a builtin such as `set` or `cd`
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN $CMD\nRUN b\n'),
    'FROM a\nRUN set -e; \\\n    ( set +e; $CMD ); \\\n    b\n',
  );
  // the last part keeps its state changes: nothing runs after it
  assert.equal(await applyFix(ID, 'FROM a\nRUN a\nRUN cd /x\n'), 'FROM a\nRUN a && \\\n    cd /x\n');
});

test('fix: `set -e` before the last RUN: the merge runs each part as a step under `set -e`', async () => {
  assert.equal(
    await applyFix(
      ID,
      'FROM a\nRUN set -eux; \\\n\tapt-get update; \\\n\tapt-get install -y x\nRUN set -eux; \\\n\tmake\nRUN echo done\n',
    ),
    'FROM a\nRUN set -e; \\\n\t( set -eux; \\\n\t\tapt-get update; \\\n\t\tapt-get install -y x ); \\\n\t( set -eux; \\\n\t\tmake ); \\\n\techo done\n',
  );
  // a part that does not start with `set -e` gets `set +e` first; a plain command stays bare
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN apt-get update\nRUN a; set -e; b\nRUN false; echo c\n'),
    'FROM a\nRUN set -e; \\\n    apt-get update; \\\n    ( set +e; a; set -e; b ); \\\n    set +e; false; echo c\n',
  );
  // `set -e` in the last RUN only: the plain `&&` merge (errexit works in the last part)
  assert.equal(await applyFix(ID, 'FROM a\nRUN a\nRUN set -e; b; c\n'), 'FROM a\nRUN a && \\\n    { set -e; b; c; }\n');
});

test('fix: a SHELL with -e: every part is a step; no extra `set -e`', async () => {
  assert.equal(
    await applyFix(
      ID,
      'FROM a\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN cd /x; make | tee log\nRUN a | b\nRUN a && b\n',
    ),
    'FROM a\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN ( cd /x; make | tee log ); \\\n    a | b; \\\n    a && b\n',
  );
});

test('fix: the first RUN keeps its flags (the same set on every RUN)', async () => {
  assert.equal(
    await applyFix(
      ID,
      'FROM a\nRUN --mount=type=cache,target=/c --network=none a\nRUN --network=none --mount=type=cache,target=/c b\n',
    ),
    'FROM a\nRUN --mount=type=cache,target=/c --network=none a && \\\n    b\n',
  );
});

test('fix: continuation lines keep their layout, shifted under the new indentation', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN apt-get update\nRUN apt-get install -y \\\n    curl \\\n\n    wget\n'),
    'FROM a\nRUN apt-get update && \\\n    apt-get install -y \\\n        curl \\\n        wget\n',
  );
  // a continuation inside a string is not re-indented (the spaces would end up in the string)
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN a\nRUN echo "x \\\n  y" && \\\n  z\n'),
    'FROM a\nRUN a && \\\n  echo "x \\\n  y" && \\\n  z\n', // the file indents by 2
  );
  // comment lines inside a RUN stay as they are
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN a\nRUN b \\\n# why\n    c\n'),
    'FROM a\nRUN a && \\\n    b \\\n# why\n        c\n',
  );
  // the body on the line after `RUN \`, with a comment before it
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN a\nRUN \\\n# first\n    b\n'),
    'FROM a\nRUN a && \\\n    # first\n    b\n',
  );
});

test('fix: indentation relative to an indented instruction; a body on its own line keeps its place', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\n  RUN a\n  RUN b \\\n      c\n'),
    'FROM a\n  RUN a && \\\n      b \\\n          c\n',
  );
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN a\nRUN \\\n    b \\\n    && c\n'),
    'FROM a\nRUN a && \\\n    b \\\n    && c\n',
  );
  // the comment between `RUN \` and the first RUN's body stays where it is
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN --network=none \\\n    # why\n    a\nRUN --network=none b\n'),
    'FROM a\nRUN --network=none \\\n    # why\n    a && \\\n    b\n',
  );
});

test('fix: the file indentation is detected (tabs here)', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nRUN x \\\n\ty\nRUN a\nRUN b\n'),
    'FROM a\nRUN x \\\n\ty && \\\n\ta && \\\n\tb\n',
  );
});

test('fix: escape=` and CRLF line endings', async () => {
  assert.equal(
    await applyFix(ID, '# escape=`\r\nFROM a\r\nRUN echo a `\r\n    b\r\nRUN cd x; make\r\n'),
    '# escape=`\r\nFROM a\r\nRUN echo a `\r\n    b && `\r\n    { cd x; make; }\r\n',
  );
});

test('fix: ONBUILD RUN groups merge into one ONBUILD RUN', async () => {
  assert.equal(
    await applyFix(ID, 'FROM a\nONBUILD RUN a\nONBUILD RUN cd x; b\n'),
    'FROM a\nONBUILD RUN a && \\\n    { cd x; b; }\n',
  );
});

test('no fix: heredoc, non-POSIX shell, Windows, parse errors, `$_`, login shells', async () => {
  await expectNoFix('FROM a\nRUN <<EOF\napt-get update\nEOF\nRUN echo b\n', 'heredoc');
  await expectNoFix('FROM a\nRUN cat <<EOF > f\nx\nEOF\nRUN echo b\n', 'heredoc');
  await expectNoFix('FROM a\nSHELL ["powershell", "-Command"]\nRUN a\nRUN b\n', 'shell');
  await expectNoFix('FROM a\nSHELL ["cmd", "/S", "/C"]\nRUN a\nRUN b\n', 'shell');
  await expectNoFix('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN a\nRUN b\n', 'shell');
  await expectNoFix('FROM microsoft/iis\nRUN a\nRUN b\n', 'shell');
  await expectNoFix('ARG BASE=mcr.microsoft.com/windows/nanoserver\nFROM ${BASE}\nRUN a\nRUN b\n', 'shell');
  await expectNoFix(
    'ARG REPO=mcr.microsoft.com/dotnet/framework/runtime\nFROM $REPO:4.8.1-windowsservercore-ltsc2022 AS base\nFROM base\nRUN a\nRUN b\n',
    'shell',
  );
  await expectNoFix('FROM a\nRUN echo "unterminated\nRUN b\n', 'parse-error');
  await expectNoFix('FROM a\nRUN if true; then a\nRUN b\n', 'parse-error');
  await expectNoFix('FROM a\nRUN a\nRUN echo $_\n', 'special-variable');
  // a background job outlives its RUN when merged (Docker stops it when the RUN ends)
  await expectNoFix('FROM a\nRUN service mysql start &\nRUN b\n', 'background');
  await expectNoFix('FROM a\nRUN (sleep 9 &); b\nRUN c\n', 'background');

  await expectNoFix('FROM a\nSHELL ["/bin/bash", "--login", "-c"]\nRUN a\nRUN b\n', 'shell-options');
  await expectNoFix('FROM a\nSHELL ["/bin/bash", "-l", "-c"]\nRUN a\nRUN b\n', 'shell-options');
  await expectNoFix('FROM a\nSHELL ["/bin/sh", "-x", "-c"]\nRUN set -e; a\nRUN b\n', 'shell-options');
  await expectNoFix('FROM a\nENV BASH_ENV=/etc/profile\nSHELL ["/bin/bash", "-c"]\nRUN a\nRUN b\n', 'shell-options');
  // the reason is also in the related information
  const { diagnostics } = await findings(ID, 'FROM a\nRUN <<EOF\nx\nEOF\nRUN echo b\n');
  assert.match(
    diagnostics[0]!.relatedInformation![1]!.message,
    /^No automatic merge: the RUN on line 2 uses a heredoc/,
  );
});

test('a SHELL of bash, zsh or sh with plain options merges', async () => {
  for (const shell of [
    '["/bin/bash", "-c"]',
    '["/bin/zsh", "-c"]',
    '["/bin/ash", "-o", "pipefail", "-c"]',
    '["busybox", "sh", "-c"]',
  ]) {
    assert.equal(
      await applyFix(ID, `FROM a\nSHELL ${shell}\nRUN a\nRUN b\n`),
      `FROM a\nSHELL ${shell}\nRUN a && \\\n    b\n`,
      shell,
    );
  }
});

test('merge all: every mergeable group of the file, none of the refused ones', async () => {
  const service = await getService();
  const text = 'FROM a\nRUN a\nRUN b\nCOPY . .\nRUN <<EOF\nx\nEOF\nRUN y\nFROM b\nRUN c\n# note\nRUN d\n';
  const model = service.getModel(doc(text));
  assert.equal(
    applyEdits(text, mergeAllEdits(model)),
    'FROM a\nRUN a && \\\n    b\nCOPY . .\nRUN <<EOF\nx\nEOF\nRUN y\nFROM b\nRUN c && \\\n    # note\n    d\n',
  );
  const again = service.getModel(doc(applyEdits(text, mergeAllEdits(model))));
  assert.deepEqual(mergeAllEdits(again), []);
  // planMerge refuses RUNs that are not a consecutive group
  const runs = model.instructions.filter((i) => i.getKeyword() === 'RUN');
  const plan = planMerge(model, [runs[0]!, runs[2]!]);
  assert.ok(!isMergeEdits(plan) && plan.code === 'not-consecutive');
});
