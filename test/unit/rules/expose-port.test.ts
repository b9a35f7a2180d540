import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectFindings, findings } from '../../helpers/rules';

const ID = 'expose-port';

test('ports above 65535 are reported on the number', async () => {
  await expectFindings(ID, 'FROM a:1\nEXPOSE «80000»\n');
  await expectFindings(ID, 'FROM a:1\nEXPOSE 80 «65536»/tcp 443/udp\n');
  await expectFindings(ID, 'FROM a:1\nEXPOSE 8000-«70000»\n');
  await expectFindings(ID, 'FROM a:1\nEXPOSE "«99999»"\n');
  await expectFindings(ID, 'FROM a:1\nEXPOSE 80 \\\n  «100000»\n');
  await expectFindings(ID, 'FROM a:1\nONBUILD EXPOSE «70000»\n');
});

test('a range that ends before it starts', async () => {
  await expectFindings(ID, 'FROM a:1\nEXPOSE «8010-8000»/tcp\n');
});

test('valid ports, ranges, protocols and variables are fine', async () => {
  await expectFindings(ID, 'FROM a:1\nEXPOSE 0 80 65535 8000-8010 53/udp 80/tcp 132/sctp\n');
  await expectFindings(ID, 'FROM a:1\nARG PORT=99999\nEXPOSE $PORT ${PORT}/tcp\n');
  await expectFindings(ID, 'FROM a:1\nEXPOSE abc\n'); // not a port: the syntax rule reports it
});

test('messages in both languages', async () => {
  const en = await findings(ID, 'FROM a:1\nEXPOSE 70000\n');
  assert.match(en.diagnostics[0]!.message, /^Port 70000 is out of range/);
  const zh = await findings(ID, 'FROM a:1\nEXPOSE 70000\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /端口 70000 超出范围/);
});
