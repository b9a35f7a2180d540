import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectFindings, findings, rule } from '../../helpers/rules';

const ID = 'shell-form-in-scratch';

test('shell-form RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD in a scratch stage', async () => {
  await expectFindings(ID, 'FROM scratch\nCOPY app /app\nRUN «chmod +x /app»\nCMD «/app --serve»\n');
  await expectFindings(ID, 'FROM scratch\nENTRYPOINT «/app»\n');
  await expectFindings(ID, 'FROM scratch\nHEALTHCHECK --interval=5s CMD «/app health»\n');
  await expectFindings(ID, 'FROM scratch\nRUN --network=none «/app \\\n    --init»\n');
  await expectFindings(ID, 'FROM --platform=$BUILDPLATFORM scratch AS out\nrun «x»\n');
});

test('heredoc RUN needs the shell too', async () => {
  await expectFindings(ID, 'FROM scratch\nRUN «<<EOF»\necho hi\nEOF\n');
});

test('a stage built on a scratch stage', async () => {
  await expectFindings(ID, 'FROM scratch AS base\nCOPY app /app\nFROM base AS final\nCMD «/app»\n');
  await expectFindings(ID, 'FROM scratch AS base\nCOPY app /app\nFROM BASE\nCMD «/app»\n');
});

test('after ONBUILD: the trigger runs on top of the whole stage', async () => {
  await expectFindings(ID, 'FROM scratch\nONBUILD RUN «/app --setup»\n');
  await expectFindings(ID, 'FROM scratch\nONBUILD RUN /bin/sh -c setup\nADD rootfs.tar.gz /\n');
});

test('exec form, other bases, and stages that got a shell are fine', async () => {
  await expectFindings(
    ID,
    'FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]\nCMD ["--serve"]\nRUN ["/app", "--init"]\n',
  );
  await expectFindings(ID, 'FROM scratch\nHEALTHCHECK CMD ["/app", "health"]\nHEALTHCHECK NONE\n');
  await expectFindings(ID, 'FROM alpine\nRUN echo hi\nCMD run\n');
  await expectFindings(ID, 'FROM scratch AS a\nFROM alpine AS scratch2\nRUN echo hi\n');
  // A root filesystem or a shell copied in.
  await expectFindings(ID, 'FROM scratch\nADD alpine-minirootfs.tar.gz /\nRUN apk add curl\nCMD sh\n');
  await expectFindings(ID, 'FROM scratch\nCOPY --from=busybox:musl /bin/ /bin/\nRUN echo hi\n');
  await expectFindings(ID, 'FROM scratch AS root\nADD rootfs.tar.xz /\nFROM root\nRUN echo hi\n');
  // A SHELL names the shell they brought along.
  await expectFindings(
    ID,
    'FROM scratch\nCOPY --from=busybox /bin/busybox /busybox/sh\nSHELL ["/busybox/sh", "-c"]\nRUN echo hi\n',
  );
});

test('files copied to / cannot bring a shell; a folder or another stage may', async () => {
  await expectFindings(ID, 'FROM scratch\nCOPY app.jar config.yaml /\nCMD «java -jar /app.jar»\n');
  await expectFindings(ID, 'FROM scratch\nCOPY --from=build / /\nRUN touch x\n');
  await expectFindings(ID, 'FROM scratch\nCOPY rootfs/ /\nRUN touch x\n');
});

test('the order matters: before the shell arrives it is still missing', async () => {
  await expectFindings(ID, 'FROM scratch\nRUN «echo hi»\nADD rootfs.tar.gz /\nRUN echo ok\n');
});

test('# escape=` and CRLF', async () => {
  await expectFindings(ID, '# escape=`\r\nFROM scratch\r\nRUN «echo `\r\n  hi»\r\n');
});

test('messages in both languages name the instruction', async () => {
  const en = await findings(ID, 'FROM scratch\nCMD run\n');
  assert.match(en.diagnostics[0]!.message, /^CMD in shell form/);
  const zh = await findings(ID, 'FROM scratch\nCMD run\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /shell 格式的 CMD/);
});

test('no fix is offered', () => {
  assert.equal(rule(ID).fix, undefined);
});
