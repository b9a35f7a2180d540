// Content checks for the hover documentation (server/src/service/docs): file set, languages, links, style,
// and real phrases of the "main seven" docs that come from our Docker notes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

type Lang = 'en' | 'zh-cn';

const LANGS: readonly Lang[] = ['en', 'zh-cn'];
const DOCS_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'server', 'src', 'service', 'docs');

const MAIN_SEVEN = ['FROM', 'RUN', 'COPY', 'ADD', 'CMD', 'ENTRYPOINT', 'ENV'] as const;
const INSTRUCTIONS = [
  ...MAIN_SEVEN,
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
] as const;
const FLAGS = [
  'copy-chown',
  'copy-chmod',
  'copy-from',
  'copy-link',
  'copy-exclude',
  'copy-parents',
  'add-chown',
  'add-chmod',
  'add-link',
  'add-exclude',
  'add-checksum',
  'add-keep-git-dir',
  'add-unpack',
  'run-mount',
  'run-network',
  'run-security',
  'from-platform',
  'healthcheck-interval',
  'healthcheck-timeout',
  'healthcheck-start-period',
  'healthcheck-start-interval',
  'healthcheck-retries',
] as const;
const DIRECTIVES = ['syntax', 'escape', 'check'] as const;
const TOPICS = ['scratch'] as const;

const EXPECTED_FILES: readonly string[] = [
  ...INSTRUCTIONS.map((k) => `instructions/${k}.md`),
  ...FLAGS.map((f) => `flags/${f}.md`),
  ...DIRECTIVES.map((d) => `directives/${d}.md`),
  ...TOPICS.map((t) => `topics/${t}.md`),
].sort();

// CJK ideographs, CJK punctuation, kana, full-width forms.
const CJK = /[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/u;
const LINK_LINE = /^\[[^\]\n]+\]\(https:\/\/docs\.docker\.com\/[^\s)]+\)$/;

function listMarkdown(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...listMarkdown(full));
    } else {
      out.push(full);
    }
  }
  return out;
}

function filesOf(lang: Lang): string[] {
  const root = join(DOCS_ROOT, lang);
  return listMarkdown(root)
    .map((f) => relative(root, f).split(sep).join('/'))
    .sort();
}

function read(lang: Lang, file: string): string {
  return readFileSync(join(DOCS_ROOT, lang, file), 'utf8');
}

function nonEmptyLines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

function lastLine(text: string): string {
  const lines = nonEmptyLines(text);
  return lines[lines.length - 1] ?? '';
}

/** Lines outside fenced code blocks; asserts the fences are balanced. */
function proseLines(text: string, label: string): string[] {
  const prose: string[] = [];
  let inFence = false;
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (!inFence) {
      prose.push(line);
    }
  }
  assert.equal(inFence, false, `${label}: unbalanced code fence`);
  return prose;
}

/** Contents of the fenced code blocks, joined. */
function codeBlocks(text: string): string {
  return [...text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').join('\n');
}

function referenceUrl(text: string): string {
  const m = /\((https:\/\/docs\.docker\.com\/[^\s)]+)\)$/.exec(lastLine(text));
  return m?.[1] ?? '';
}

const ALL_FILES: readonly string[] = filesOf('en');

describe('hover docs: file set', () => {
  it('en and zh-cn have exactly the same files', () => {
    assert.deepEqual(filesOf('zh-cn'), filesOf('en'));
  });

  it('the file set is the documented one', () => {
    for (const lang of LANGS) {
      assert.deepEqual(filesOf(lang), EXPECTED_FILES, lang);
    }
  });
});

describe('hover docs: every file', () => {
  for (const lang of LANGS) {
    for (const file of ALL_FILES) {
      const label = `${lang}/${file}`;
      it(`${label} is non-empty, well-formed and ends with a docs.docker.com link`, () => {
        const text = read(lang, file);
        assert.ok(text.trim().length > 0, `${label} is empty`);
        assert.ok(text.endsWith('\n'), `${label} must end with a newline`);
        assert.match(lastLine(text), LINK_LINE, `${label}: last line must be a docs.docker.com link`);
        assert.match(nonEmptyLines(text)[0] ?? '', /^\*\*[^*]+\*\* — \S/, `${label}: bold first line`);
        assert.ok(codeBlocks(text).trim().length > 0, `${label}: needs a code block`);
        // In a Dockerfile, `#` starts a comment only at the beginning of a line: no trailing comments.
        for (const line of codeBlocks(text).split('\n')) {
          assert.ok(line.trimStart().startsWith('#') || !/\s#\s/.test(line), `${label}: trailing comment: ${line}`);
        }

        // Prose outside code blocks, with inline code spans removed (`<src>` is not HTML).
        const prose = proseLines(text, label).map((l) => l.replace(/(`+)[^`][\s\S]*?\1/g, ''));
        for (const line of prose) {
          assert.doesNotMatch(line, /^#{1,2}\s/, `${label}: no headings larger than ###: ${line}`);
          assert.doesNotMatch(line, /^\s*\|/, `${label}: no tables: ${line}`);
          assert.doesNotMatch(line, /!\[/, `${label}: no images: ${line}`);
          assert.doesNotMatch(line, /<\/?[a-zA-Z][a-zA-Z0-9-]*(\s[^>]*)?\/?>/, `${label}: no HTML: ${line}`);
        }
      });
    }
  }

  it('zh-cn files contain Chinese and en files contain no CJK characters', () => {
    for (const file of ALL_FILES) {
      assert.match(read('zh-cn', file), CJK, `zh-cn/${file} has no Chinese`);
      const en = read('en', file);
      const bad = CJK.exec(en);
      assert.equal(bad, null, `en/${file} contains CJK character ${bad?.[0] ?? ''}`);
    }
  });

  it('hovers stay small', () => {
    const main = new Set<string>(MAIN_SEVEN.map((k) => `instructions/${k}.md`));
    for (const lang of LANGS) {
      for (const file of ALL_FILES) {
        const n = nonEmptyLines(read(lang, file)).length;
        const [min, max] = main.has(file) ? [8, 25] : [3, 12];
        assert.ok(n >= min && n <= max, `${lang}/${file}: ${n} lines, expected ${min}-${max}`);
      }
    }
  });

  it('the en and zh-cn versions link to the same reference section', () => {
    for (const file of ALL_FILES) {
      assert.equal(referenceUrl(read('zh-cn', file)), referenceUrl(read('en', file)), file);
    }
  });
});

describe('hover docs: reference links', () => {
  const base = 'https://docs.docker.com/reference/dockerfile/';

  it('instructions link to their section', () => {
    for (const keyword of INSTRUCTIONS) {
      const anchor = keyword === 'MAINTAINER' ? 'maintainer-deprecated' : keyword.toLowerCase();
      for (const lang of LANGS) {
        assert.equal(referenceUrl(read(lang, `instructions/${keyword}.md`)), `${base}#${anchor}`, `${lang} ${keyword}`);
      }
    }
  });

  it('flags, directives and scratch link to their section', () => {
    const expected: Record<string, string> = {
      'flags/copy-chown.md': '#copy---chown',
      'flags/add-chown.md': '#copy---chown',
      'flags/copy-chmod.md': '#copy---chmod',
      'flags/add-chmod.md': '#copy---chmod',
      'flags/copy-from.md': '#copy---from',
      'flags/copy-link.md': '#copy---link',
      'flags/add-link.md': '#copy---link',
      'flags/copy-exclude.md': '#copy---exclude',
      'flags/add-exclude.md': '#copy---exclude',
      'flags/copy-parents.md': '#copy---parents',
      'flags/add-checksum.md': '#add---checksum',
      'flags/add-keep-git-dir.md': '#add---keep-git-dir',
      'flags/add-unpack.md': '#add---unpack',
      'flags/run-mount.md': '#run---mount',
      'flags/run-network.md': '#run---network',
      'flags/run-security.md': '#run---security',
      'flags/from-platform.md': '#from',
      'directives/syntax.md': '#syntax',
      'directives/escape.md': '#escape',
      'directives/check.md': '#check',
    };
    for (const flag of FLAGS.filter((f) => f.startsWith('healthcheck-'))) {
      expected[`flags/${flag}.md`] = '#healthcheck';
    }
    for (const lang of LANGS) {
      for (const [file, anchor] of Object.entries(expected)) {
        assert.equal(referenceUrl(read(lang, file)), `${base}${anchor}`, `${lang}/${file}`);
      }
      assert.equal(
        referenceUrl(read(lang, 'topics/scratch.md')),
        'https://docs.docker.com/build/building/base-images/#create-a-minimal-base-image-using-scratch',
      );
    }
  });
});

describe('hover docs: flags and directives show their syntax', () => {
  it('each flag doc shows the flag in a code block', () => {
    for (const flag of FLAGS) {
      const instruction = flag.slice(0, flag.indexOf('-')).toUpperCase();
      const name = flag.slice(flag.indexOf('-') + 1);
      for (const lang of LANGS) {
        const code = codeBlocks(read(lang, `flags/${flag}.md`));
        assert.ok(code.includes(`${instruction} `), `${lang}/${flag}: code shows ${instruction}`);
        assert.ok(code.includes(`--${name}`), `${lang}/${flag}: code shows --${name}`);
      }
    }
  });

  it('run-mount describes every mount type and its main keys', () => {
    const keys = [
      'target',
      'source',
      'from',
      'id',
      'sharing',
      'mode',
      'uid',
      'gid',
      'required',
      'readonly',
      'ro',
      'env',
    ];
    for (const lang of LANGS) {
      const text = read(lang, 'flags/run-mount.md');
      for (const word of ['bind', 'cache', 'tmpfs', 'secret', 'ssh', ...keys]) {
        assert.ok(text.includes(`\`${word}\``), `${lang} run-mount: ${word}`);
      }
    }
  });

  it('directive docs show the directive and say it goes at the top of the file', () => {
    const syntax: Record<(typeof DIRECTIVES)[number], string> = {
      syntax: '# syntax=docker/dockerfile:1',
      escape: '# escape=`',
      check: '# check=skip=<checks>|all;error=true',
    };
    const top: Record<Lang, RegExp> = { en: /very top of the file/, 'zh-cn': /文件最顶部/ };
    for (const lang of LANGS) {
      for (const directive of DIRECTIVES) {
        const text = read(lang, `directives/${directive}.md`);
        assert.ok(codeBlocks(text).includes(syntax[directive]), `${lang} ${directive}: ${syntax[directive]}`);
        assert.match(text, top[lang], `${lang} ${directive}: placement`);
      }
    }
  });
});

describe('hover docs: content from the notes', () => {
  const has = (lang: Lang, file: string, ...phrases: string[]): void => {
    const text = read(lang, file);
    for (const phrase of phrases) {
      assert.ok(text.includes(phrase), `${lang}/${file} should contain ${JSON.stringify(phrase)}`);
    }
  };

  it('main seven: title line, syntax section, reference link', () => {
    const titles: Record<Lang, Record<(typeof MAIN_SEVEN)[number], string>> = {
      en: {
        FROM: 'specify the base image',
        RUN: 'run commands',
        COPY: 'copy files',
        ADD: 'a more advanced file copy',
        CMD: "the container's start command",
        ENTRYPOINT: 'the entry point',
        ENV: 'set environment variables',
      },
      'zh-cn': {
        FROM: '指定基础镜像',
        RUN: '执行命令',
        COPY: '复制文件',
        ADD: '更高级的文件复制',
        CMD: '容器启动命令',
        ENTRYPOINT: '入口点',
        ENV: '设置环境变量',
      },
    };
    for (const lang of LANGS) {
      for (const keyword of MAIN_SEVEN) {
        const text = read(lang, `instructions/${keyword}.md`);
        assert.equal(nonEmptyLines(text)[0], `**${keyword}** — ${titles[lang][keyword]}`, `${lang} ${keyword}`);
        assert.ok(text.includes(lang === 'en' ? '**Syntax**' : '**语法**'), `${lang} ${keyword}: syntax section`);
        const link = lang === 'en' ? `[Dockerfile reference: ${keyword}](` : `[Dockerfile 参考：${keyword}](`;
        assert.ok(lastLine(text).startsWith(link), `${lang} ${keyword}: link text`);
      }
    }
  });

  it('FROM: base image and scratch for statically compiled programs (Go)', () => {
    has(
      'en',
      'instructions/FROM.md',
      'base image',
      '`scratch`',
      'FROM scratch',
      'statically compiled',
      'Go',
      'smaller',
    );
    has('zh-cn', 'instructions/FROM.md', '基础镜像', '`scratch`', 'FROM scratch', '静态编译', 'Go', '体积更加小巧');
    for (const lang of LANGS) {
      has(lang, 'instructions/FROM.md', 'FROM nginx');
    }
  });

  it('RUN: one layer per instruction, shell and exec forms, && to avoid layers, Union FS', () => {
    has('en', 'instructions/RUN.md', 'creates a layer', 'shell format: `RUN <command>`', 'command line');
    has('en', 'instructions/RUN.md', '`RUN ["executable", "param1", "param2"]`', 'function call', '`&&`');
    has('en', 'instructions/RUN.md', 'multiple layers', 'Union FS');
    has('zh-cn', 'instructions/RUN.md', '每一个指令都会建立一层', 'shell 格式：`RUN <命令>`', '命令行');
    has('zh-cn', 'instructions/RUN.md', '`RUN ["可执行文件", "参数1", "参数2"]`', '函数调用', '`&&`', '层');
    has('zh-cn', 'instructions/RUN.md', '避免创建多层', 'Union FS');
  });

  it('COPY: the notes syntax and layered storage', () => {
    has('en', 'instructions/COPY.md', 'COPY [--chown=<user>:<group>] ["<src1>",... "<dest>"]', 'Union FS', 'layer');
    has(
      'zh-cn',
      'instructions/COPY.md',
      'COPY [--chown=<user>:<group>] ["<源路径1>",... "<目标路径>"]',
      'Union FS',
      '层',
    );
  });

  it('ADD: URLs, archives, the notes example and layered storage', () => {
    const example = 'ADD --chown=<user>:<group> ubuntu-xenial-core-cloudimg-amd64-root.tar.gz /';
    has('en', 'instructions/ADD.md', 'URL', 'archives', 'unpack', example, 'Union FS');
    has('zh-cn', 'instructions/ADD.md', 'URL', '压缩包', '解压', example, 'Union FS');
  });

  it('CMD: a container is a process, foreground, the sh -c pitfall and the correct form', () => {
    const both = [
      'CMD ["nginx", "-g", "daemon off;"]',
      'service nginx start',
      'CMD [ "sh", "-c", "service nginx start"]',
    ];
    has('en', 'instructions/CMD.md', ...both, 'a container is a process', 'foreground', 'systemd', 'main process');
    has('en', 'instructions/CMD.md', 'exec and shell', 'the container exit');
    has('zh-cn', 'instructions/CMD.md', ...both, '容器就是进程', '前台', 'systemd', '主进程', '令容器退出');
  });

  it('ENTRYPOINT: RUN formats, arguments like a command, preparation work', () => {
    const example = 'ENTRYPOINT [ "curl", "-s", "http://myip.ipip.net" ]';
    has('en', 'instructions/ENTRYPOINT.md', example, 'exec format', 'shell format', 'like a command', 'preparation');
    has('zh-cn', 'instructions/ENTRYPOINT.md', example, 'exec 格式', 'shell 格式', '像命令一样', '准备工作');
  });

  it('ENV: the notes syntax', () => {
    for (const lang of LANGS) {
      has(lang, 'instructions/ENV.md', 'ENV <key1>=<value1> <key2>=<value2>...');
    }
  });

  it('VOLUME: the container storage layer', () => {
    has(
      'en',
      'instructions/VOLUME.md',
      'storage layer',
      'lost when the container is removed',
      'stateless',
      'bind-mounted',
    );
    has('zh-cn', 'instructions/VOLUME.md', '容器存储层', '随容器删除而丢失', '无状态', '数据卷', '绑定宿主目录');
  });

  it('scratch: the blank image for statically compiled programs', () => {
    has('en', 'topics/scratch.md', 'blank image', 'not based on any system', 'statically compiled', 'smaller', 'Go');
    has('zh-cn', 'topics/scratch.md', '虚拟空白的镜像', '不以任何系统为基础', '静态编译', '体积更加小巧', 'Go');
  });

  it('MAINTAINER: deprecated in favour of the OCI authors label', () => {
    has('en', 'instructions/MAINTAINER.md', 'deprecated', 'LABEL org.opencontainers.image.authors=');
    has('zh-cn', 'instructions/MAINTAINER.md', '已弃用', 'LABEL org.opencontainers.image.authors=');
  });
});
