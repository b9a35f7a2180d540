/**
 * Checks our rules against hadolint's own test cases (../shared/conformance/hadolint-cases.json),
 * through each rule's `peers`: a case expecting "catch" agrees when at least one finding of a rule
 * peered with that hadolint rule is reported; "not" agrees when there is none.
 * Run: node --import tsx scripts/conformance.ts [--rule id]... [--hadolint DL3006]... [--strict] [--cases file]
 * Exit 0 always (it is a report); with --strict, exit 1 when any case disagrees.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULES } from '../server/src/service/rules';
import type { Rule } from '../server/src/service/rules/types';
import { doc, getService } from '../test/helpers/service';

interface Case {
  rule: string;
  dockerfile: string;
  expect: 'catch' | 'not';
  test_name?: string;
  onbuild?: boolean;
  onbuild_equivalent_text?: string;
  source_file?: string;
}

function usage(message: string): never {
  console.error(`conformance: ${message}`);
  console.error(
    'usage: node --import tsx scripts/conformance.ts [--rule id]... [--hadolint DLxxxx]... [--strict] [--cases file]',
  );
  process.exit(2);
}

const argv = process.argv.slice(2);
const ourRules: string[] = [];
const hadolintRules: string[] = [];
let strict = false;
let casesPath = resolve(__dirname, '..', '..', 'shared', 'conformance', 'hadolint-cases.json');
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i]!;
  const eq = arg.indexOf('=');
  const name = eq > 0 ? arg.slice(0, eq) : arg;
  const value = (): string => {
    if (eq > 0) return arg.slice(eq + 1);
    const next = argv[++i];
    if (next === undefined) usage(`${name} needs a value`);
    return next;
  };
  if (name === '--rule') ourRules.push(...value().split(','));
  else if (name === '--hadolint') hadolintRules.push(...value().split(','));
  else if (name === '--strict') strict = true;
  else if (name === '--cases') casesPath = resolve(value());
  else usage(`unknown argument ${arg}`);
}
for (const id of ourRules) if (!RULES.some((r) => r.id === id)) usage(`no rule ${id} in the registry`);
if (!existsSync(casesPath)) usage(`no cases file at ${casesPath}`);

async function main(): Promise<void> {
  const cases = JSON.parse(readFileSync(casesPath, 'utf8')) as Case[];
  const service = await getService();
  const candidates = ourRules.length ? RULES.filter((r) => ourRules.includes(r.id)) : RULES;
  const peersOf = (hadolint: string): Rule[] => candidates.filter((r) => r.peers.includes(hadolint));

  const byRule = new Map<string, Case[]>();
  for (const c of cases) {
    if (hadolintRules.length && !hadolintRules.includes(c.rule)) continue;
    if (peersOf(c.rule).length === 0) continue;
    const list = byRule.get(c.rule) ?? [];
    list.push(c);
    byRule.set(c.rule, list);
  }
  const uncovered = [...new Set(cases.map((c) => c.rule))].filter((r) => !RULES.some((x) => x.peers.includes(r)));

  let totalAgree = 0;
  let totalDisagree = 0;
  for (const [hadolint, list] of [...byRule].sort(([a], [b]) => a.localeCompare(b))) {
    const peers = peersOf(hadolint);
    const ids = new Set(peers.map((r) => r.id));
    const disagreements: string[] = [];
    let agree = 0;
    for (const c of list) {
      // The ONBUILD variant is the same Dockerfile with the RUNs wrapped in ONBUILD.
      const text = c.onbuild && c.onbuild_equivalent_text !== undefined ? c.onbuild_equivalent_text : c.dockerfile;
      const document = doc(text);
      let caught: string[];
      try {
        caught = service
          .validate(document, { lang: 'en' })
          .filter((d) => ids.has(String(d.code)) && !d.message.startsWith('Docksmith internal error'))
          .map((d) => `${String(d.code)}@${d.range.start.line + 1}:${d.range.start.character + 1}`);
      } catch (error) {
        caught = [];
        disagreements.push(`CRASH ${c.test_name ?? ''}: ${String(error)}`);
      } finally {
        service.forget(document.uri);
      }
      const got = caught.length > 0 ? 'catch' : 'not';
      if (got === c.expect) agree++;
      else {
        disagreements.push(
          `expected ${c.expect}, got ${got}${caught.length ? ` (${caught.join(', ')})` : ''}: ${c.test_name ?? ''}${
            c.onbuild ? ' [onbuild]' : ''
          }\n      ${text.replace(/\n/g, '\n      ')}`,
        );
      }
    }
    totalAgree += agree;
    totalDisagree += list.length - agree;
    console.log(
      `${hadolint.padEnd(8)} -> ${[...ids].join(', ').padEnd(30)} agree ${String(agree).padStart(3)}  disagree ${String(
        list.length - agree,
      ).padStart(3)}`,
    );
    for (const d of disagreements) console.log(`    ${d}`);
  }
  console.log('');
  console.log(`total: ${totalAgree} agree, ${totalDisagree} disagree`);
  if (!ourRules.length && !hadolintRules.length && uncovered.length) {
    console.log(`hadolint rules in the cases with no peer rule yet: ${uncovered.sort().join(', ')}`);
  }
  process.exitCode = strict && totalDisagree > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(2);
});
