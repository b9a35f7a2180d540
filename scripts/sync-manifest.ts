/**
 * Writes the rule list into package.json (`docksmith.rules` settings: one enum property per rule,
 * so the settings UI completes them) and the rules table into README.md (between markers).
 * Run: node --import tsx scripts/sync-manifest.ts   (the registry test fails when these are stale)
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../server/src/service/rules';
import { ruleDocsUrl } from '../server/src/service/rules/types';

const root = join(__dirname, '..');

export function ruleSettingsProperties(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const rule of [...RULES].sort((a, b) => a.id.localeCompare(b.id))) {
    properties[rule.id] = {
      type: 'string',
      enum: ['off', 'hint', 'info', 'warning', 'error'],
      default: rule.severity,
      markdownDescription: `${rule.messages['default']!.en.split(/(?<=[.:])\s/)[0]} ([docs](${ruleDocsUrl(rule.id)}))`,
    };
  }
  return properties;
}

export function rulesTable(): string {
  const rows = [...RULES]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((r) => {
      const summary = r.messages['default']!.en.split(/(?<=[.:])\s/)[0]!.replace(/\|/g, '\\|');
      const fix = r.fix ? 'yes' : '';
      return `| [\`${r.id}\`](docs/rules/${r.id}.md) | ${r.severity} | ${r.peers.join(', ')} | ${fix} | ${summary} |`;
    });
  return ['| Rule | Default | Peers | Fix | What it catches |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

export const TABLE_START = '<!-- rules-table:start -->';
export const TABLE_END = '<!-- rules-table:end -->';

if (process.argv[1] && process.argv[1].endsWith('sync-manifest.ts')) {
  const pkgPath = join(root, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  pkg.contributes.configuration.properties['docksmith.rules'].properties = ruleSettingsProperties();
  writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
  const readmePath = join(root, 'README.md');
  if (existsSync(readmePath)) {
    const readme = readFileSync(readmePath, 'utf8');
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    if (start >= 0 && end > start) {
      writeFileSync(
        readmePath,
        readme.slice(0, start + TABLE_START.length) + '\n' + rulesTable() + '\n' + readme.slice(end),
      );
    }
  }
  console.log(`sync-manifest: ${RULES.length} rules written to package.json and README.md`);
}
