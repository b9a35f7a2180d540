import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectFindings, findings, rule } from '../../helpers/rules';

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
