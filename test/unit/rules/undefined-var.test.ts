import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectFindings, findings } from '../../helpers/rules';
import { suggestName } from '../../../server/src/service/rules/undefined-var';

const ID = 'undefined-var';

test('in a scratch stage every undefined variable is known to be empty', async () => {
  await expectFindings(ID, 'FROM scratch\nCOPY «$FOO» /x\n');
  await expectFindings(ID, 'FROM scratch\nWORKDIR /app/«${DIR}»\nUSER «$APP_USER»\n');
  await expectFindings(ID, 'FROM scratch AS base\nFROM base\nLABEL a=«$A»\n');
});

test('a global ARG is not visible inside a stage until redeclared', async () => {
  const [d] = await expectFindings(ID, 'ARG VERSION=1\nFROM alpine:3\nLABEL version=«$VERSION»\n');
  assert.match(d!.message, /Add `ARG VERSION`/);
  await expectFindings(ID, 'ARG VERSION=1\nFROM alpine:3\nARG VERSION\nLABEL version=$VERSION\n');
});

test('automatic platform ARGs: global scope only, a stage declares them', async () => {
  const [d] = await expectFindings(ID, 'FROM alpine:3\nCOPY bin/«$TARGETARCH»/app /app\n');
  assert.match(d!.message, /Add `ARG TARGETARCH`/);
  await expectFindings(ID, 'FROM alpine:3\nARG TARGETARCH\nCOPY bin/$TARGETARCH/app /app\n');
  await expectFindings(ID, 'FROM alpine:3\nARG TARGETOS TARGETARCH\nENV GOOS=$TARGETOS GOARCH=$TARGETARCH\n');
  await expectFindings(ID, 'FROM --platform=$BUILDPLATFORM golang:1 AS build\n');
});

test('FROM sees only the ARGs declared before it', async () => {
  const [d] = await expectFindings(ID, 'FROM alpine:«${TAG}»\n');
  assert.match(d!.message, /at the top of the file/);
  await expectFindings(ID, 'ARG TAG=3\nFROM alpine:${TAG}\n');
  await expectFindings(ID, 'ARG TAG\nFROM alpine:${TAG}\n');
  await expectFindings(ID, 'FROM alpine:3\nARG TAG=3\nFROM alpine:«$TAG»\n');
  await expectFindings(ID, 'FROM $BASE\n'); // an empty base name: the syntax rule reports it
});

test('on an image, only likely typos are reported (the image may set its own ENV)', async () => {
  const [d] = await expectFindings(ID, 'FROM alpine:3\nENV APP_HOME=/app\nWORKDIR «$APP_HOM»\n');
  assert.match(d!.message, /did you mean `APP_HOME`\?/);
  await expectFindings(ID, 'FROM golang:1\nWORKDIR $GOPATH/src\nENV PATH=$PATH:/x\n');
  await expectFindings(ID, 'FROM alpine:3\nARG INSTALL_FILE_1=a\nCOPY $INSTALL_FILE_1 $INSTALL_FILE_2 /x/\n');
  await expectFindings(ID, 'FROM scratch\nENV app_home=/app\nWORKDIR «$APP_HOME»\n');
});

test('Docker semantics: an ENV sees the values from before the instruction', async () => {
  await expectFindings(ID, 'FROM scratch\nENV A=1 B=«$A»\n');
  await expectFindings(ID, 'FROM scratch\nENV A=1\nENV B=$A\n');
});

test('ENV (not ARG) is inherited from a parent stage, also through a variable stage name', async () => {
  await expectFindings(ID, 'FROM scratch AS base\nENV A=1\nFROM base\nCOPY $A /x\n');
  await expectFindings(ID, 'ARG V=x\nFROM scratch AS base-x\nENV A=1\nFROM base-${V}\nCOPY $A /x\n');
  await expectFindings(ID, 'FROM scratch AS base\nARG A=1\nFROM base\nCOPY «$A» /x\n');
});

test('not reported: defaults, shell instructions, predefined args, escapes, quotes, heredocs, ONBUILD', async () => {
  await expectFindings(ID, 'FROM scratch\nCOPY ${A:-a} ${B:+b} ${C-c} /x\n');
  await expectFindings(ID, 'FROM scratch\nRUN echo $X\nCMD echo $Y\nENTRYPOINT ["sh", "-c", "$Z"]\n');
  await expectFindings(ID, 'FROM scratch\nLABEL proxy=$HTTP_PROXY p2=$no_proxy path=$PATH\n');
  await expectFindings(ID, "FROM scratch\nLABEL a=\\$X b='$Y'\n");
  await expectFindings(ID, 'FROM scratch\nCOPY <<EOF /x\n$NOPE\nEOF\n');
  await expectFindings(ID, 'FROM scratch\nADD <<EOF /x\ntouch /a=$NOPE\nEOF\nCOPY «$B» /b\n');
  await expectFindings(ID, 'FROM scratch\nONBUILD COPY $X /x\n');
  await expectFindings(ID, 'FROM scratch\nCOPY a \\\n  «$Y» /x\n');
});

test('name suggestions', () => {
  assert.equal(suggestName('VERSON', ['VERSION', 'OTHER']), 'VERSION');
  assert.equal(suggestName('version', ['VERSION']), 'VERSION');
  assert.equal(suggestName('FILE_2', ['FILE_1']), undefined);
  assert.equal(suggestName('file3', ['file']), undefined);
  assert.equal(suggestName('ABC', ['XYZ']), undefined);
  assert.equal(suggestName('DOMAIN_HOME', ['DOMAIN_NAME'], 1), undefined);
});

test('messages in both languages', async () => {
  const en = await findings(ID, 'FROM scratch\nCOPY $X /x\n');
  assert.match(en.diagnostics[0]!.message, /^`X` is not defined here/);
  const zh = await findings(ID, 'ARG V=1\nFROM scratch\nCOPY $V /x\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /`V` 声明在第一个 FROM 之前/);
});
