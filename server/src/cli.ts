/**
 * `docksmith lint`: the service's rules on files, for CI and pre-commit.
 *
 *   docksmith lint [--fix | --fix-dry-run] [--format text|json|sarif] [--lang en|zh-cn] [--rule <id>=<severity>]... <file|dir>...
 *
 * Exit 0 when no error-severity finding, 1 when there is one, 2 on usage or I/O errors.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import { dirname, join, relative, resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { pathToFileURL } from 'node:url';
import docs from 'docksmith:docs';
import { createDockerfileService, resolveLang, type Lang, type SeveritySetting } from './service';
import { severityName } from './service/diagnostics';
import { isDockerfileName } from './service/files';
import { ruleDocsUrl } from './service/rules/types';
import { loadShellParser } from './shellParserLoader';

const VERSION = '0.1.0';
const MAX_FIX_PASSES = 10;
const SEVERITIES = new Set(['off', 'hint', 'info', 'warning', 'error']);
const USAGE = `Usage: docksmith lint [options] <file|dir>...

Options:
  --format text|json|sarif   output format (default: text)
  --lang auto|en|zh-cn       message language (default: auto, from LANG)
  --rule <id>=<severity>     override a rule: off|hint|info|warning|error (repeatable)
  --fix                      apply the preferred quick fixes in place, then report what is left
  --fix-dry-run              print the preferred fixes as a unified diff; change nothing
  --no-color                 plain text output
  -h, --help                 this help
  -v, --version              print the version`;

class UsageError extends Error {}

interface Options {
  format: 'text' | 'json' | 'sarif';
  lang: Lang;
  rules: Record<string, SeveritySetting>;
  paths: string[];
  color: boolean;
  fix: 'no' | 'write' | 'diff';
}

function parseArgs(argv: string[]): Options | 'help' | 'version' {
  const args = [...argv];
  if (args[0] === '-h' || args[0] === '--help') return 'help';
  if (args[0] === '-v' || args[0] === '--version') return 'version';
  if (args[0] !== 'lint') throw new UsageError(args[0] ? `unknown command '${args[0]}'` : 'missing command');
  args.shift();
  const options: Options = {
    format: 'text',
    lang: resolveLang('auto', process.env['LC_ALL'] || process.env['LC_MESSAGES'] || process.env['LANG']),
    rules: {},
    paths: [],
    color: process.stdout.isTTY === true && !process.env['NO_COLOR'],
    fix: 'no',
  };
  const take = (flag: string, inline: string | undefined): string => {
    const value = inline ?? args.shift();
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    return value;
  };
  while (args.length > 0) {
    const arg = args.shift()!;
    if (arg === '--') {
      options.paths.push(...args.splice(0));
      break;
    }
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--format': {
        const value = take(flag, inline);
        if (value !== 'text' && value !== 'json' && value !== 'sarif')
          throw new UsageError(`unknown format '${value}'`);
        options.format = value;
        break;
      }
      case '--lang': {
        const value = take(flag, inline).toLowerCase();
        if (value !== 'auto' && value !== 'en' && value !== 'zh-cn')
          throw new UsageError(`unknown language '${value}'`);
        if (value !== 'auto') options.lang = value;
        break;
      }
      case '--rule': {
        const value = take(flag, inline);
        const eq = value.lastIndexOf('=');
        const id = value.slice(0, eq);
        const severity = value.slice(eq + 1);
        if (eq <= 0 || !SEVERITIES.has(severity))
          throw new UsageError(`--rule expects <id>=off|hint|info|warning|error, got '${value}'`);
        options.rules[id] = severity as SeveritySetting;
        break;
      }
      case '--fix':
        options.fix = 'write';
        break;
      case '--fix-dry-run':
        options.fix = 'diff';
        break;
      case '--no-color':
        options.color = false;
        break;
      default:
        if (flag.startsWith('-')) throw new UsageError(`unknown option '${flag}'`);
        options.paths.push(arg);
    }
  }
  if (options.paths.length === 0) throw new UsageError('no files or directories given');
  return options;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.vscode-test']);

function collectFiles(paths: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile() && isDockerfileName(entry.name)) files.push(full);
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) throw new Error(`${p}: no such file or directory`);
    if (statSync(p).isDirectory()) walk(p);
    else files.push(p);
  }
  return files;
}

/** `.docksmith.json` (or package.json's `docksmith` key) in the file's folder or above. */
const configCache = new Map<string, Record<string, SeveritySetting>>();
function configFor(file: string): Record<string, SeveritySetting> {
  const dir = dirname(resolve(file));
  const cached = configCache.get(dir);
  if (cached) return cached;
  let rules: Record<string, SeveritySetting> = {};
  const own = join(dir, '.docksmith.json');
  const pkg = join(dir, 'package.json');
  let found: unknown;
  if (existsSync(own)) found = readJson(own);
  else if (existsSync(pkg)) found = (readJson(pkg) as { docksmith?: unknown }).docksmith;
  if (found !== undefined) {
    const r = (found as { rules?: unknown }).rules;
    if (r && typeof r === 'object') {
      for (const [id, sev] of Object.entries(r))
        if (typeof sev === 'string' && SEVERITIES.has(sev)) rules[id] = sev as SeveritySetting;
    }
  } else if (dirname(dir) !== dir) {
    rules = configFor(dir);
  }
  configCache.set(dir, rules);
  return rules;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

interface FileResult {
  file: string;
  diagnostics: Diagnostic[];
}

const COLORS = {
  error: '\x1b[31m',
  warning: '\x1b[33m',
  info: '\x1b[36m',
  hint: '\x1b[90m',
  reset: '\x1b[0m',
  dim: '\x1b[2m',
};

function printText(results: FileResult[], color: boolean): void {
  const out: string[] = [];
  for (const { file, diagnostics } of results) {
    for (const d of diagnostics) {
      const severity = severityName(d.severity);
      const where = `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
      out.push(
        color
          ? `${where} ${COLORS[severity]}${severity}${COLORS.reset} ${COLORS.dim}${String(d.code)}${COLORS.reset} ${d.message}`
          : `${where} ${severity} ${String(d.code)} ${d.message}`,
      );
    }
  }
  if (out.length > 0) process.stdout.write(out.join('\n') + '\n');
}

function jsonFindings(results: FileResult[]) {
  return results.flatMap(({ file, diagnostics }) =>
    diagnostics.map((d) => ({
      file,
      rule: String(d.code),
      severity: severityName(d.severity),
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      endLine: d.range.end.line + 1,
      endColumn: d.range.end.character + 1,
    })),
  );
}

function sarif(results: FileResult[], ruleIds: { id: string; severity: string; message: string }[]) {
  const level = (s: string) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'docksmith',
            version: VERSION,
            informationUri: 'https://github.com/docksmith/docksmith',
            rules: ruleIds.map((r) => ({
              id: r.id,
              shortDescription: { text: r.message },
              helpUri: ruleDocsUrl(r.id),
              defaultConfiguration: { level: level(r.severity) },
            })),
          },
        },
        results: jsonFindings(results).map((f) => ({
          ruleId: f.rule,
          level: level(f.severity),
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file.split('\\').join('/') },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}

async function main(argv: string[]): Promise<number> {
  let options: Options | 'help' | 'version';
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`docksmith: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (options === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (options === 'version') {
    process.stdout.write(`docksmith ${VERSION}\n`);
    return 0;
  }
  const shellParser = await loadShellParser();
  const service = createDockerfileService({ docs, shellParser });
  const results: FileResult[] = [];
  let ioError = false;
  let files: string[];
  try {
    files = collectFiles(options.paths);
  } catch (error) {
    process.stderr.write(`docksmith: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  for (const file of files) {
    let text: string;
    let rules: Record<string, SeveritySetting>;
    try {
      text = readFileSync(file, 'utf8');
      rules = { ...configFor(file), ...options.rules };
    } catch (error) {
      process.stderr.write(`docksmith: ${error instanceof Error ? error.message : String(error)}\n`);
      ioError = true;
      continue;
    }
    const uri = pathToFileURL(resolve(file)).toString();
    const relativePath = relative(process.cwd(), file);
    const shown = relativePath && !relativePath.startsWith('..') ? relativePath : file;
    const settings = { lang: options.lang, rules };
    let document = TextDocument.create(uri, 'dockerfile', 0, text);
    if (options.fix !== 'no') {
      // Fix-all is one pass of non-overlapping edits; repeat until nothing changes.
      for (let pass = 1; pass <= MAX_FIX_PASSES; pass++) {
        const edits = service.fixAll(document, settings);
        if (edits.length === 0) break;
        document = TextDocument.create(uri, 'dockerfile', pass, TextDocument.applyEdits(document, edits));
      }
      const fixed = document.getText();
      if (fixed !== text) {
        if (options.fix === 'write') {
          try {
            writeFileSync(file, fixed);
          } catch (error) {
            process.stderr.write(`docksmith: ${error instanceof Error ? error.message : String(error)}\n`);
            ioError = true;
          }
        } else
          process.stdout.write(createTwoFilesPatch(`a/${shown}`, `b/${shown}`, text, fixed, '', '', { context: 3 }));
      }
      if (options.fix === 'diff') {
        service.forget(uri);
        continue;
      }
    }
    const diagnostics = service.validate(document, settings);
    service.forget(document.uri);
    results.push({ file: shown, diagnostics });
  }
  if (options.fix === 'diff') return ioError ? 2 : 0;
  if (options.format === 'json') process.stdout.write(JSON.stringify(jsonFindings(results), null, 2) + '\n');
  else if (options.format === 'sarif') {
    const meta = service.rules.map((r) => ({
      id: r.id,
      severity: options.rules[r.id] ?? r.severity,
      message: r.messages['default']![options.lang],
    }));
    process.stdout.write(JSON.stringify(sarif(results, meta), null, 2) + '\n');
  } else printText(results, options.color);
  if (ioError) return 2;
  return results.some((r) => r.diagnostics.some((d) => d.severity === 1)) ? 1 : 0;
}

// A reader that stops early (`docksmith lint . | head`) closes the pipe: the output no one reads is
// dropped, and the exit code stays the lint's, without a stack trace for the broken pipe.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`docksmith: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
