// UI checks of what a person sees, in code-server + headless Chromium driven by Playwright: open examples/Dockerfile
// from the explorer, see the language mode say Dockerfile, hover FROM and read the docs in the hover widget; open the
// heredoc example and see it coloured; in a copy of examples/merge/ (a temp folder, so examples/ stays as it is),
// merge the RUNs through the quick-fix menu (Ctrl+. , pick the merge, Enter, Ctrl+S) and read the file back from
// disk. Saves docs/images/hover.png, syntax.png and quickfix.png. Run by test/e2e/launch.mjs after the mocha suite, or
// alone: node test/e2e/ui.mjs [--update-screenshots]
/* global document, window */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium, payloadUrl, repoRoot, startCodeServer } from '../../scripts/code-server.mjs';

// Every run saves its screenshots under test/out/e2e/screenshots/ (git-ignored). docs/images/<name>.png (committed,
// shown in the README) is written when it does not exist yet, or with --update-screenshots /
// DOCKSMITH_UPDATE_SCREENSHOTS=1, so that a test run does not leave a modified tracked file behind.
const runScreenshots = join(repoRoot, 'test', 'out', 'e2e', 'screenshots');
const docsImages = join(repoRoot, 'docs', 'images');
const STEP_TIMEOUT_MS = 60_000;

/** Rectangle (page coordinates) of the first `word` at the start of a rendered editor line, or null. */
async function wordRect(page, word) {
  return page.evaluate((w) => {
    for (const line of document.querySelectorAll('.monaco-editor .view-lines .view-line')) {
      const text = line.textContent.replace(/\u00a0/g, ' ');
      const start = text.search(new RegExp(`^\\s*${w}\\b`)) === 0 ? text.indexOf(w) : -1;
      if (start < 0) continue;
      // Find the text node(s) holding those characters and measure them.
      const walker = document.createTreeWalker(line, 4 /* NodeFilter.SHOW_TEXT */);
      let offset = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const len = node.textContent.length;
        if (start < offset + len) {
          const range = document.createRange();
          range.setStart(node, start - offset);
          range.setEnd(node, Math.min(start - offset + w.length, len));
          const r = range.getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height, top: line.getBoundingClientRect().top };
        }
        offset += len;
      }
    }
    return null;
  }, word);
}

/**
 * Hovers `word` until the hover widget shows text satisfying `accept`. The first hovers can come back empty while the
 * language server starts: then the mouse moves away and back, until the deadline.
 */
async function hoverUntil(page, word, accept, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const hover = page.locator('.monaco-hover:not(.hidden)').first();
  for (let attempt = 1; ; attempt++) {
    const rect = await wordRect(page, word);
    if (!rect) throw new Error(`no line starting with ${word} is rendered in the editor`);
    await page.mouse.move(5, 5); // away (the title bar), so the next move is a fresh hover
    await page.mouse.move(rect.x + rect.width / 2, rect.y + rect.height / 2, { steps: 4 });
    try {
      await hover.waitFor({ state: 'visible', timeout: Math.max(1000, Math.min(5000, deadline - Date.now())) });
      // The widget can show "Loading..." first: wait until its text is accepted or this attempt's time is up.
      await page.waitForFunction(
        ([sel, src]) => {
          const el = document.querySelector(sel);
          return !!el && new RegExp(src, 'i').test(el.textContent || '');
        },
        ['.monaco-hover:not(.hidden)', accept.source],
        { timeout: Math.max(1000, Math.min(5000, deadline - Date.now())) },
      );
      return { text: await hover.innerText(), attempts: attempt };
    } catch {
      const last = (await hover.isVisible()) ? await hover.innerText() : '';
      if (Date.now() > deadline) {
        throw new Error(`no hover matching ${accept} on ${word} after ${attempt} attempts; last hover text:\n${last}`);
      }
    }
  }
}

/** The crop (page coordinates) of the editor area with the hover over it, or null. */
async function editorWithHoverClip(page) {
  return page.evaluate(() => {
    const editor = document.querySelector('.part.editor')?.getBoundingClientRect();
    const hover = document.querySelector('.monaco-hover:not(.hidden)')?.getBoundingClientRect();
    const lines = [...document.querySelectorAll('.part.editor .view-lines .view-line')];
    const lastLine = Math.max(...lines.map((l) => l.getBoundingClientRect().bottom));
    if (!editor) return null;
    let left = editor.left;
    let top = editor.top;
    let right = editor.right;
    let bottom = Math.min(editor.bottom, Math.max(lastLine, hover?.bottom ?? 0) + 16);
    if (hover) {
      left = Math.min(left, hover.left - 8);
      top = Math.min(top, hover.top - 8);
      right = Math.max(right, hover.right + 8);
      bottom = Math.max(bottom, hover.bottom + 8);
    }
    left = Math.max(0, left);
    top = Math.max(0, top);
    right = Math.min(window.innerWidth, right);
    bottom = Math.min(window.innerHeight, bottom);
    return { x: left, y: top, width: right - left, height: bottom - top };
  });
}

/**
 * The crop of the editor area (tabs, breadcrumbs, text) down to the last line of the file and as wide as its longest
 * line, grown to hold the widget `also` (a CSS selector) when it is shown.
 */
async function editorClip(page, also) {
  return page.evaluate((widgetSelector) => {
    const editor = document.querySelector('.part.editor')?.getBoundingClientRect();
    if (!editor) return null;
    const lines = [...document.querySelectorAll('.part.editor .view-lines .view-line')];
    let textRight = 0;
    let textBottom = 0;
    for (const line of lines) {
      const spans = line.querySelectorAll('span span');
      const last = spans[spans.length - 1];
      if (last) textRight = Math.max(textRight, last.getBoundingClientRect().right);
      textBottom = Math.max(textBottom, line.getBoundingClientRect().bottom);
    }
    const widget = widgetSelector ? document.querySelector(widgetSelector)?.getBoundingClientRect() : undefined;
    const shown = widget && widget.width > 0 && widget.height > 0 ? widget : undefined;
    const right = Math.min(editor.right, Math.max(textRight + 48, (shown?.right ?? 0) + 16, editor.left + 640));
    const bottom = Math.min(editor.bottom, Math.max(textBottom + 16, (shown?.bottom ?? 0) + 16));
    const x = Math.max(0, editor.left);
    const y = Math.max(0, editor.top);
    return { x, y, width: Math.min(window.innerWidth, right) - x, height: Math.min(window.innerHeight, bottom) - y };
  }, also ?? null);
}

/**
 * Saves test/out/e2e/screenshots/<name>.png (the page cropped to `clip`), and docs/images/<name>.png when it is missing
 * or screenshots are being updated. Returns the paths written, relative to the repo.
 */
async function saveScreenshot(page, name, clip, updateScreenshots) {
  const runPath = join(runScreenshots, `${name}.png`);
  const docsPath = join(docsImages, `${name}.png`);
  mkdirSync(runScreenshots, { recursive: true });
  await page.screenshot({ path: runPath, clip: clip ?? undefined });
  const saved = [runPath];
  if (updateScreenshots || !existsSync(docsPath)) {
    mkdirSync(docsImages, { recursive: true });
    copyFileSync(runPath, docsPath);
    saved.push(docsPath);
  }
  return saved.map((p) => relative(repoRoot, p)).join(', ');
}

/** Opens the workspace file `path` (relative, forward slashes) with Quick Open (Ctrl+P) and waits for its tab. */
async function quickOpen(page, path) {
  const name = path.split('/').pop();
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor();
  await input.fill(path);
  // The first row that is the file itself (its description is the folder).
  const folder = path.split('/').slice(0, -1).join('/');
  const row = page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) })
    .filter({ hasText: folder })
    .first();
  await row.waitFor();
  await row.click();
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
}

/** Runs a command by its title from the command palette (F1). */
async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor();
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Opens the root file `name` of the workspace from the explorer (a pinned editor, not a preview). */
async function openFromExplorer(page, name, firstLine) {
  const row = page
    .locator('.explorer-folders-view .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) })
    .first();
  await row.dblclick();
  await page.locator('.monaco-editor .view-lines .view-line', { hasText: firstLine }).first().waitFor();
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
}

/** Hides the primary side bar (Explorer) so that the editor takes the window's width. */
async function hideSideBar(page) {
  const sideBar = page.locator('.part.sidebar');
  if (!(await sideBar.isVisible())) return;
  await page.keyboard.press('Control+B');
  await sideBar.waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * How many differently coloured tokens the first rendered editor line matching `pattern` has (Monaco gives each
 * colour a class mtk<N>), or -1 when no such line is rendered.
 */
async function tokenColours(page, pattern) {
  return page.evaluate((src) => {
    const re = new RegExp(src);
    for (const line of document.querySelectorAll('.part.editor .view-lines .view-line')) {
      if (!re.test(line.textContent.replace(/\u00a0/g, ' '))) continue;
      const classes = new Set();
      for (const span of line.querySelectorAll('span span')) {
        if (span.textContent.trim()) classes.add([...span.classList].find((c) => /^mtk\d+$/.test(c)));
      }
      return classes.size;
    }
    return -1;
  }, pattern.source);
}

/** Waits until the line matching `pattern` shows at least `min` colours; returns the last count. */
async function waitForColours(page, pattern, min, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await tokenColours(page, pattern);
    if (count >= min || Date.now() > deadline) return count;
    await page.waitForTimeout(100); // poll interval: the tokenizer has no event the page can wait on
  }
}

/** Whether package.json contributes our TextMate grammar for the dockerfile language. */
function grammarContributed() {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  return (pkg.contributes?.grammars ?? []).some((g) => g.language === 'dockerfile' && /dockerfile/i.test(g.path));
}

/** The rectangle of the rendered line whose text matches `pattern` (page coordinates), or null. */
async function lineRect(page, pattern) {
  return page.evaluate((src) => {
    const re = new RegExp(src);
    for (const line of document.querySelectorAll('.part.editor .view-lines .view-line')) {
      if (!re.test(line.textContent.replace(/\u00a0/g, ' '))) continue;
      const first = line.querySelector('span span')?.getBoundingClientRect();
      const r = line.getBoundingClientRect();
      return { x: first ? first.left : r.left, y: r.top, height: r.height };
    }
    return null;
  }, pattern.source);
}

/** The aria-label of the focused row of the open quick-fix menu, or null when it is not open. */
async function focusedAction(page) {
  const row = page.locator('.action-widget .monaco-list-row.focused').first();
  if (!(await row.isVisible())) return null;
  return row.getAttribute('aria-label');
}

// examples/merge/Dockerfile and what the merge makes of it (`docksmith lint --fix-dry-run` agrees).
const MERGE_EXAMPLE = join(repoRoot, 'examples', 'merge', 'Dockerfile');
const MERGE_TITLE = 'Merge 3 RUN instructions into one';
const MERGED = [
  '# Docksmith example: put the cursor on the second RUN and press Ctrl+. to merge the three RUNs into one layer.',
  'FROM debian:12-slim',
  'WORKDIR /opt/tool',
  'RUN apt-get update \\',
  '    && apt-get install -y --no-install-recommends ca-certificates curl \\',
  '    && rm -rf /var/lib/apt/lists/* && \\',
  '    # download the release',
  '    curl -fsSL -o tool.tgz https://example.com/tool-1.2.3.tgz && \\',
  '    # unpack, then drop the archive',
  '    tar -xzf tool.tgz && rm tool.tgz',
  'ENTRYPOINT ["/opt/tool/bin/tool"]',
  '',
].join('\n');

/**
 * Runs the UI checks in a fresh code-server serving `workspace` with only extensionDevelopmentPath in the payload.
 * Returns { passes, failures, problems, tests }.
 */
export async function runUiChecks({
  workspace = join(repoRoot, 'examples'),
  updateScreenshots = process.argv.includes('--update-screenshots') || !!process.env.DOCKSMITH_UPDATE_SCREENSHOTS,
} = {}) {
  const tests = [];
  const problems = [];
  // The look of the screenshots: dark theme, no minimap.
  const settings = { 'workbench.colorTheme': 'Default Dark Modern', 'editor.minimap.enabled': false };
  const server = await startCodeServer({ workspace, settings, extensionDevelopmentPath: repoRoot });
  // The merge works on a copy of examples/merge/ in a temp folder: saving it must not change examples/.
  const mergeWorkspace = mkdtempSync(join(tmpdir(), 'docksmith-ui-merge-'));
  const mergeFile = join(mergeWorkspace, 'Dockerfile');
  copyFileSync(MERGE_EXAMPLE, mergeFile);
  let browser;
  const check = async (title, fn) => {
    const t = Date.now();
    try {
      const detail = await fn();
      tests.push({ title, state: 'passed' });
      console.log(`  ✔ ${title} (${Date.now() - t} ms)${detail ? ` ${detail}` : ''}`);
      return true;
    } catch (err) {
      tests.push({ title, state: 'failed', error: err.message });
      // What the page looked like, for the failure's explanation.
      const slug = title
        .replace(/[^a-z0-9]+/gi, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 60);
      await browser?.page
        .screenshot({ path: join(runScreenshots, `failed-${slug}.png`) })
        .then(() => (err.message += `\n(screenshot: test/out/e2e/screenshots/failed-${slug}.png)`))
        .catch(() => {});
      problems.push(`UI: ${title}: ${err.message.split('\n')[0]}`);
      console.log(`  ✗ ${title}\n      ${String(err.message).replace(/\n/g, '\n      ')}`);
      return false;
    }
  };
  /** Runs `steps` in order, stopping at the first failure (later steps depend on earlier ones). */
  const runSteps = async (steps) => {
    for (const [title, fn] of steps) {
      if (!(await check(title, fn))) break;
    }
  };
  try {
    browser = await launchChromium({ viewport: { width: 1280, height: 800 } });
    const { page } = browser;
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const open = (folder) =>
      page.goto(payloadUrl({ url: server.url, folder, extensionDevelopmentPath: server.extensionDevelopmentPath }));
    console.log('UI checks');

    await open(workspace);
    await runSteps([
      ['opens Dockerfile from the explorer', () => openFromExplorer(page, 'Dockerfile', /^\s*FROM\b/)],
      [
        'the status bar says Dockerfile',
        async () => {
          await page.locator('[id="status.editor.mode"]', { hasText: 'Dockerfile' }).waitFor();
        },
      ],
      [
        'hovering FROM shows its documentation',
        async () => {
          const { text, attempts } = await hoverUntil(page, 'FROM', /scratch/, STEP_TIMEOUT_MS);
          if (!/base image/i.test(text)) throw new Error(`hover lacks "base image":\n${text}`);
          if (!text.includes('scratch')) throw new Error(`hover lacks "scratch":\n${text}`);
          const squiggles = await page.locator('.squiggly-error, .squiggly-warning, .squiggly-info').count();
          const where = await saveScreenshot(page, 'hover', await editorWithHoverClip(page), updateScreenshots);
          return `(attempts: ${attempts}, squiggles: ${squiggles}, screenshot: ${where})`;
        },
      ],
    ]);

    await runSteps([
      [
        'the heredoc example is coloured, shell and Python inside the heredocs',
        async () => {
          await page.mouse.move(5, 5); // no hover left over the editor
          await quickOpen(page, 'heredoc/Dockerfile');
          await runCommand(page, 'View: Close Other Editors in Group'); // one tab in the screenshot
          await page
            .locator('.monaco-editor .view-lines .view-line', { hasText: /^RUN\s--mount=type=cache/ })
            .waitFor();
          await hideSideBar(page);
          const ours = grammarContributed();
          // FROM line: keyword, image, AS, name. Any Dockerfile grammar colours it (the built-in one too).
          const fromColours = await waitForColours(page, /^FROM python/, 2, STEP_TIMEOUT_MS);
          if (fromColours < 2) throw new Error(`the FROM line is not coloured (${fromColours} colour)`);
          // Shell inside `RUN <<EOF`: `for ... in ...; do` has keywords. Only our grammar knows heredocs.
          const shellColours = await waitForColours(page, /^for pkg in/, 2, ours ? STEP_TIMEOUT_MS : 3000);
          if (ours && shellColours < 2) {
            throw new Error(`the shell in the heredoc is not coloured (${shellColours} colour on "for pkg in ...")`);
          }
          // Python inside the heredoc that starts with `#!/usr/bin/env python3`.
          const pythonColours = await waitForColours(page, /^print\(json/, 2, ours ? STEP_TIMEOUT_MS : 3000);
          if (ours && pythonColours < 2) {
            throw new Error(`the Python heredoc is not coloured (${pythonColours} colour on "print(json...")`);
          }
          const where = await saveScreenshot(page, 'syntax', await editorClip(page), updateScreenshots);
          const grammar = ours ? 'our grammar' : 'built-in grammar: ours is not in package.json contributes.grammars';
          return `(${grammar}; colours: shell ${shellColours}, Python ${pythonColours}; screenshot: ${where})`;
        },
      ],
    ]);

    await open(mergeWorkspace);
    await runSteps([
      [
        'a copy of examples/merge/Dockerfile opens with the consecutive-run squiggle',
        async () => {
          await openFromExplorer(page, 'Dockerfile', /^\s*FROM\b/);
          await page.locator('.squiggly-info').first().waitFor({ timeout: STEP_TIMEOUT_MS }); // the server is up
          await hideSideBar(page);
        },
      ],
      [
        `Ctrl+. on the second RUN offers "${MERGE_TITLE}"`,
        async () => {
          // Click into the line and press Ctrl+. until the menu opens (the first try can come before the editor
          // has the focus or the code actions are known).
          const deadline = Date.now() + STEP_TIMEOUT_MS;
          const menu = page.locator('.action-widget .monaco-list-row').first();
          for (let attempt = 1; ; attempt++) {
            const rect = await lineRect(page, /^RUN curl/);
            if (!rect) throw new Error('no line "RUN curl ..." is rendered');
            await page.mouse.click(rect.x + 50, rect.y + rect.height / 2);
            await page.mouse.move(5, 5); // no diagnostic hover over the menu
            await page.keyboard.press('Control+.');
            try {
              await menu.waitFor({ timeout: Math.max(1000, Math.min(10_000, deadline - Date.now())) });
              break;
            } catch (err) {
              if (Date.now() > deadline) throw new Error(`no quick-fix menu after ${attempt} attempts`, { cause: err });
              await page.keyboard.press('Escape');
            }
          }
          const seen = [];
          for (let i = 0; i < 20; i++) {
            const label = await focusedAction(page);
            seen.push(label);
            if (label?.startsWith(MERGE_TITLE)) break;
            await page.keyboard.press('ArrowDown');
          }
          const label = await focusedAction(page);
          if (!label?.startsWith(MERGE_TITLE)) {
            throw new Error(`the menu has no "${MERGE_TITLE}"; rows focused: ${seen.join(' | ')}`);
          }
          const where = await saveScreenshot(
            page,
            'quickfix',
            await editorClip(page, '.action-widget'),
            updateScreenshots,
          );
          return `(screenshot: ${where})`;
        },
      ],
      [
        'Enter applies the merge, Ctrl+S saves it, the file on disk is the merged text',
        async () => {
          await page.keyboard.press('Enter');
          await page.locator('.action-widget').first().waitFor({ state: 'hidden' });
          await page
            .locator('.monaco-editor .view-lines .view-line', { hasText: /^\s+#\sunpack,\sthen\sdrop/ })
            .waitFor();
          await page.keyboard.press('Control+S');
          await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
          const deadline = Date.now() + STEP_TIMEOUT_MS;
          let text = readFileSync(mergeFile, 'utf8');
          while (text !== MERGED && Date.now() < deadline) {
            await page.waitForTimeout(100); // poll the file: the write has no event the page can wait on
            text = readFileSync(mergeFile, 'utf8');
          }
          if (text !== MERGED) throw new Error(`the saved file is not the merged text:\n${text}`);
          if (readFileSync(MERGE_EXAMPLE, 'utf8') === MERGED) throw new Error('examples/merge/Dockerfile was changed');
        },
      ],
    ]);
  } catch (err) {
    problems.push(`UI: ${err.message ?? err}`);
  } finally {
    await browser?.close();
    await server.stop();
    rmSync(mergeWorkspace, { recursive: true, force: true });
  }
  const passes = tests.filter((t) => t.state === 'passed').length;
  const failures = tests.filter((t) => t.state === 'failed').length || (problems.length ? 1 : 0);
  return { passes, failures, problems, tests };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await runUiChecks();
  for (const p of r.problems) console.error(`[e2e] problem: ${p}`);
  console.log(`e2e UI: ${r.passes} passed, ${r.failures} failed`);
  process.exit(r.failures === 0 && r.passes > 0 ? 0 : 1);
}
