// UI checks of what a person sees, in code-server + headless Chromium driven by Playwright: open examples/Dockerfile
// from the explorer, see the language mode say Dockerfile, hover FROM and read the docs in the hover widget; saves
// docs/images/hover.png. Run by test/e2e/launch.mjs after the mocha suite, or alone: node test/e2e/ui.mjs
/* global document, window */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium, payloadUrl, repoRoot, startCodeServer } from '../../scripts/code-server.mjs';

// Every run saves its screenshot under test/out/e2e/screenshots/ (git-ignored). docs/images/hover.png (committed, shown
// in the README) is written when it does not exist yet, or with --update-screenshots / DOCKSMITH_UPDATE_SCREENSHOTS=1,
// so that a test run does not leave a modified tracked file behind.
const runScreenshot = join(repoRoot, 'test', 'out', 'e2e', 'screenshots', 'hover.png');
const docsScreenshot = join(repoRoot, 'docs', 'images', 'hover.png');
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

/** Saves a crop of the editor area with the hover over it. */
async function screenshotEditorWithHover(page, path) {
  const clip = await page.evaluate(() => {
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
  mkdirSync(join(path, '..'), { recursive: true });
  await page.screenshot({ path, clip: clip ?? undefined });
}

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
  // The look of the screenshot: dark theme, no minimap.
  const settings = { 'workbench.colorTheme': 'Default Dark Modern', 'editor.minimap.enabled': false };
  const server = await startCodeServer({ workspace, settings, extensionDevelopmentPath: repoRoot });
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
      problems.push(`UI: ${title}: ${err.message.split('\n')[0]}`);
      console.log(`  ✗ ${title}\n      ${String(err.message).replace(/\n/g, '\n      ')}`);
      return false;
    }
  };
  try {
    browser = await launchChromium({ viewport: { width: 1280, height: 800 } });
    const { page } = browser;
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await page.goto(
      payloadUrl({ url: server.url, folder: workspace, extensionDevelopmentPath: server.extensionDevelopmentPath }),
    );
    console.log('UI checks');
    const steps = [
      [
        'opens Dockerfile from the explorer',
        async () => {
          const row = page
            .locator('.explorer-folders-view .monaco-list-row')
            .filter({ has: page.locator('.label-name', { hasText: /^Dockerfile$/ }) })
            .first();
          await row.dblclick(); // a pinned editor, not a preview
          await page
            .locator('.monaco-editor .view-lines .view-line', { hasText: /^\s*FROM\b/ })
            .first()
            .waitFor();
          await page.locator('.tabs-container .tab.active', { hasText: 'Dockerfile' }).waitFor();
        },
      ],
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
          await screenshotEditorWithHover(page, runScreenshot);
          const saved = [runScreenshot];
          if (updateScreenshots || !existsSync(docsScreenshot)) {
            mkdirSync(join(docsScreenshot, '..'), { recursive: true });
            copyFileSync(runScreenshot, docsScreenshot);
            saved.push(docsScreenshot);
          }
          const where = saved.map((p) => relative(repoRoot, p)).join(', ');
          return `(attempts: ${attempts}, squiggles: ${squiggles}, screenshot: ${where})`;
        },
      ],
    ];
    for (const [title, fn] of steps) {
      if (!(await check(title, fn))) break; // later steps depend on earlier ones
    }
  } catch (err) {
    problems.push(`UI: ${err.message ?? err}`);
  } finally {
    await browser?.close();
    await server.stop();
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
