import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectFindings, findings } from '../../helpers/rules';

const ID = 'image-tag';

test('FROM without tag or digest is reported on the image name', async () => {
  await expectFindings(ID, 'FROM «debian»\n');
  await expectFindings(ID, 'FROM «debian» AS builder\n');
  await expectFindings(ID, 'FROM --platform=$BUILDPLATFORM «golang» AS build\n');
  await expectFindings(ID, 'FROM «localhost:5000/app»\n');
  await expectFindings(ID, 'from «registry.example.com/team/app»\n');
});

test('tags, digests, scratch and earlier stages are fine', async () => {
  await expectFindings(ID, 'FROM debian:12\nFROM ruby@sha256:f1dbca0f5dbc9\nFROM scratch\n');
  await expectFindings(ID, 'FROM localhost:5000/app:1.0\n');
  await expectFindings(ID, 'FROM golang:1.22 AS build\nRUN foo\nFROM build as unit-test\nFROM BUILD\n');
});

test('a stage name used before it is defined is an image', async () => {
  await expectFindings(ID, 'FROM «build»\nFROM alpine:3 AS build\n');
});

test('variables: expanded with the global ARG defaults; unknown values are not reported', async () => {
  await expectFindings(ID, 'ARG BASE=debian\nFROM «$BASE»\n');
  await expectFindings(ID, 'ARG BASE=debian:12\nFROM $BASE\n');
  await expectFindings(ID, 'ARG TAG=12\nFROM debian:${TAG}\n');
  await expectFindings(ID, 'FROM ${VALUE}\n');
  await expectFindings(ID, 'ARG BASE\nFROM $BASE\n');
  await expectFindings(ID, 'ARG V=stable\nFROM golang:1 AS build-stable\nFROM build-${V}\n');
});

test('messages in both languages', async () => {
  const en = await findings(ID, 'FROM debian\n');
  assert.match(en.diagnostics[0]!.message, /`debian` has no tag/);
  const zh = await findings(ID, 'ARG B=node\nFROM $B\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /镜像 `\$B`（按 ARG 默认值展开为 `node`）/);
});
