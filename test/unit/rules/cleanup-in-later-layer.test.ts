import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { expectFindings, findings, rule } from '../../helpers/rules';
import { EarlierWrites } from '../../../server/src/service/rules/cleanup-in-later-layer';
import { ANY_ENTRY, removes } from '../../../server/src/service/shellFacts';

const ID = 'cleanup-in-later-layer';

test('deleting what an earlier RUN downloaded or created is reported on the rm command', async () => {
  await expectFindings(ID, 'FROM a\nRUN apt-get update && apt-get install -y x\nRUN «rm -rf /var/lib/apt/lists/*»\n');
  await expectFindings(
    ID,
    'FROM a\nRUN curl -fsSLo /tmp/app.tgz https://example.com/app.tgz\nRUN tar xzf /tmp/app.tgz -C /opt && «rm /tmp/app.tgz»\n',
  );
  await expectFindings(ID, 'FROM a\nRUN curl -o /tmp/x https://e/x\nRUN «rm -f /tmp/*»\n');
  await expectFindings(
    ID,
    'FROM a\nRUN cd /tmp && wget https://e/pkg.deb?x=1\nRUN dpkg -i /tmp/pkg.deb && «rm /tmp/pkg.deb»\n',
  );
  await expectFindings(ID, 'FROM a\nRUN wget -qO /opt/x.zip https://e/x.zip\nRUN «rm /opt/x.zip»\n');
  await expectFindings(
    ID,
    'FROM a\nWORKDIR /src\nRUN git clone --depth 1 -b v1 https://github.com/o/repo.git\nRUN make -C repo install && «rm -rf /src/repo»\n',
  );
  await expectFindings(
    ID,
    'FROM a\nRUN mkdir /build && cd /build && curl -O https://e/a.tar.gz\nRUN «rm -rf /build»\n',
  );
  await expectFindings(ID, 'FROM a\nRUN tar -xzf /a.tgz -C /opt/a\nRUN «rm -rf /opt/a»\n');
  await expectFindings(ID, 'FROM a\nRUN echo data > /tmp/big.txt\nRUN «rm /tmp/big.txt»\n');
  await expectFindings(ID, 'FROM alpine\nRUN apk update && apk add curl\nRUN «rm -rf /var/cache/apk/*»\n');
  await expectFindings(ID, 'FROM python\nRUN pip install flask\nRUN «rm -rf /root/.cache»\n');
});

test('what a COPY or ADD put in an earlier layer (scripts and configs left out)', async () => {
  await expectFindings(
    ID,
    'FROM a\nCOPY app.tar.gz /tmp/\nRUN tar xzf /tmp/app.tar.gz -C /opt && «rm /tmp/app.tar.gz»\n',
  );
  await expectFindings(
    ID,
    'FROM a\nADD https://e/tool.zip /tmp/tool.zip\nRUN unzip /tmp/tool.zip -d /opt && «rm /tmp/tool.zip»\n',
  );
  await expectFindings(ID, 'FROM a\nWORKDIR /build\nCOPY . .\nRUN make && make install && «rm -rf /build»\n');
  await expectFindings(ID, 'FROM a\nCOPY install.sh /tmp/\nRUN /tmp/install.sh && rm /tmp/install.sh\n');
  await expectFindings(ID, 'FROM a\nCOPY scripts/*.sh requirements.txt /tmp/s/\nRUN /tmp/s/a.sh && rm -rf /tmp/s\n');
});

test('related information points at the earlier instruction', async () => {
  const { diagnostics } = await findings(ID, 'FROM a\nRUN curl -o /tmp/x.bin https://e/x\nRUN rm /tmp/x.bin\n');
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0]!.relatedInformation?.[0]?.location.range.start.line, 1);
  assert.match(diagnostics[0]!.message, /line 2, `curl -o`/);
});

test('the last of several earlier writes of a path is the one named; what is deleted is deleted once', async () => {
  const text = [
    'FROM a',
    'RUN curl -o /tmp/x.bin https://e/x', // line 2
    'COPY x.conf /tmp/x.bin', // line 3: a config file, small
    'RUN wget -qO /tmp/x.bin https://e/x', // line 4: the last one not small
    'COPY x.json /tmp/x.bin', // line 5: small
    'RUN rm /tmp/x.bin',
    'RUN rm /tmp/x.bin', // nothing left to delete
    'RUN curl -o /opt/y.bin https://e/y',
    'RUN rm /tmp/none /opt/*', // the first pattern matches nothing
  ].join('\n');
  const { diagnostics } = await findings(ID, `${text}\n`);
  assert.deepEqual(
    diagnostics.map((d) => [d.range.start.line, d.relatedInformation?.[0]?.location.range.start.line]),
    [
      [5, 3],
      [8, 7],
    ],
  );
  assert.match(diagnostics[0]!.message, /line 4, `wget -O`/);
});

test('the tree of earlier writes takes out what a list checked with removes() would (property)', () => {
  const segment = fc.constantFrom('tmp', 'opt', 'a', 'b.tgz', '.cache', 'lists', ANY_ENTRY);
  const glob = fc.constantFrom('*', '*.tgz', 'b*', '?', '[ab]', '.*', '[!a]*', 'tmp', 'a', '.cache', ANY_ENTRY);
  const path = (part: fc.Arbitrary<string>) =>
    fc.array(part, { minLength: 0, maxLength: 4 }).map((s) => '/' + s.join('/'));
  const step = fc.oneof(
    fc.record({ add: path(segment), small: fc.boolean() }),
    fc.record({ remove: path(fc.oneof(segment, glob)) }),
  );
  fc.assert(
    fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
      const tree = new EarlierWrites();
      let list: { path: string; small: boolean; n: number }[] = [];
      steps.forEach((s, n) => {
        if ('add' in s) {
          const written = { path: s.add, small: s.small, n } as unknown as Parameters<EarlierWrites['add']>[0];
          tree.add(written);
          list.push({ path: s.add, small: s.small, n });
          return;
        }
        const taken = list.filter((w) => removes(s.remove, w.path));
        list = list.filter((w) => !taken.includes(w));
        const last = taken.filter((w) => !w.small).at(-1);
        assert.equal((tree.remove(s.remove) as unknown as { n: number } | undefined)?.n, last?.n, JSON.stringify(s));
      });
    }),
    { numRuns: 2000 },
  );
});

test('continuations, heredocs and ONBUILD', async () => {
  await expectFindings(
    ID,
    'FROM a\nRUN apt-get update \\\n && apt-get install -y x\nRUN apt-get purge -y y \\\n && «rm -rf \\\n    /var/lib/apt/lists/*»\n',
  );
  await expectFindings(
    ID,
    'FROM a\nRUN <<EOF\ncurl -o /tmp/x.tgz https://e/x.tgz\nEOF\nRUN <<EOF\n«rm /tmp/x.tgz»\nEOF\n',
  );
  await expectFindings(ID, 'FROM a\nONBUILD RUN curl -o /tmp/x.tgz https://e/x.tgz\nONBUILD RUN «rm /tmp/x.tgz»\n');
});

test('the same RUN, another stage, unknown paths and unrelated files are fine', async () => {
  await expectFindings(ID, 'FROM a\nRUN curl -o /tmp/x.tgz https://e/x.tgz && tar xzf /tmp/x.tgz && rm /tmp/x.tgz\n');
  await expectFindings(
    ID,
    'FROM a\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\nRUN rm -rf /var/lib/apt/lists/*\n',
  );
  await expectFindings(ID, 'FROM a AS build\nRUN curl -o /tmp/x https://e/x\nFROM b\nRUN rm /tmp/x\n');
  await expectFindings(ID, 'FROM a\nRUN curl -o /tmp/x https://e/x\nRUN rm /tmp/y /var/log/*.log\n');
  await expectFindings(ID, 'FROM a\nRUN curl -o "$TMP/x" https://e/x\nRUN rm "$TMP/x"\n');
  await expectFindings(ID, 'FROM a\nRUN curl -O https://e/x.tgz\nRUN rm x.tgz\n'); // unknown working directory
  await expectFindings(ID, 'FROM a\nRUN curl -fsSL https://e/x | sh\nRUN rm -rf /tmp/*\n');
  await expectFindings(ID, 'FROM a\nRUN pip install --no-cache-dir flask\nRUN rm -rf /root/.cache\n');
  await expectFindings(ID, 'FROM a\nRUN (cd /tmp && curl -O https://e/x.tgz)\nRUN rm /x.tgz\n');
  await expectFindings(
    ID,
    'FROM a\nRUN curl -o /tmp/x https://e/x\nRUN rm /tmp/x\nRUN rm -f /tmp/x\n'.replace(
      'RUN rm /tmp/x\n',
      'RUN «rm /tmp/x»\n',
    ),
  );
  await expectFindings(ID, 'FROM a\nRUN ["curl", "-o", "/tmp/x", "https://e/x"]\nRUN rm /tmp/x\n');
  await expectFindings(ID, 'FROM a\nSHELL ["pwsh", "-c"]\nRUN curl -o /tmp/x https://e/x\nRUN rm /tmp/x\n');
});

test('messages in both languages; no fix', async () => {
  const zh = await findings(ID, 'FROM a\nRUN curl -o /tmp/x https://e/x\nRUN rm /tmp/x\n', 'zh-cn');
  assert.match(zh.diagnostics[0]!.message, /分层存储/);
  assert.match(zh.diagnostics[0]!.relatedInformation![0]!.message, /更早的层/);
  const copied = await findings(ID, 'FROM a\nCOPY a.tgz /tmp/\nRUN rm /tmp/a.tgz\n');
  assert.match(copied.diagnostics[0]!.message, /--mount=type=bind/);
  assert.equal(rule(ID).fix, undefined);
});
