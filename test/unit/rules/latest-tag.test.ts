import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectFindings, findings } from '../../helpers/rules';

const ID = 'latest-tag';

test('an explicit latest tag is reported on the tag', async () => {
  await expectFindings(ID, 'FROM debian:«latest»\n');
  await expectFindings(ID, 'FROM debian:«latest» AS builder\n');
  await expectFindings(ID, 'FROM localhost:5000/app:«latest»\n');
});

test('other tags, digests, untagged images are not this rule', async () => {
  await expectFindings(ID, 'FROM debian:jessie\nFROM debian\nFROM scratch\n');
  await expectFindings(
    ID,
    'FROM hub.docker.io/debian@sha256:7959ed6f7e35f8b1aaa06d1d8259d4ee25aa85a086d5c125480c333183f9deeb\n',
  );
  await expectFindings(
    ID,
    'FROM hub.docker.io/debian:latest@sha256:7959ed6f7e35f8b1aaa06d1d8259d4ee25aa85a086d5c125480c333183f9deeb\n',
  );
  await expectFindings(ID, 'FROM debian:LATEST\n');
});

test('variables: an ARG default of latest is reported on the whole image', async () => {
  await expectFindings(ID, 'ARG TAG=latest\nFROM «node:${TAG}»\n');
  await expectFindings(ID, 'ARG TAG\nFROM node:${TAG}\n');
});

test('messages in both languages', async () => {
  const en = await findings(ID, 'FROM alpine:latest\n');
  assert.match(en.diagnostics[0]!.message, /^`alpine:latest` moves/);
  const zh = await findings(ID, 'FROM alpine:latest\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /会随着新版本的推送而变化/);
});
