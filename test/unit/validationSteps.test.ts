/** The validation's steps: where the server may pause a validation (answer a request, drop a stale one). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { STEP_WORK, validateModel, validationSteps } from '../../server/src/service/diagnostics';
import { DockerfileModel } from '../../server/src/service/model';
import { RULES } from '../../server/src/service/rules';
import { shellParser } from '../helpers/service';

const SETTINGS = { lang: 'en' } as const;
const FILE_RULES = RULES.filter((r) => r.scope === 'file').length;
const STAGE_RULES = RULES.length - FILE_RULES;

let version = 0;
async function model(text: string): Promise<DockerfileModel> {
  const document = TextDocument.create('file:///steps/Dockerfile', 'dockerfile', ++version, text);
  return new DockerfileModel(document, await shellParser());
}

/** How many times the validation pauses, and what it ends with. */
function run(m: DockerfileModel): { steps: number; diagnostics: string[] } {
  const steps = validationSteps(m, RULES, SETTINGS);
  for (let n = 0; ; n++) {
    const step = steps.next();
    if (step.done) return { steps: n, diagnostics: step.value.map((d) => JSON.stringify(d)) };
  }
}

test('many small stages: a step covers several of them, not one rule on one stage', async () => {
  const stages = Array.from({ length: 60 }, (_, i) => `FROM alpine AS s${i}\nRUN echo ${i}\nCMD ["x"]\n`);
  const m = await model(stages.join(''));
  const instructions = m.instructions.length;
  const { steps, diagnostics } = run(m);
  // One step per file rule, then one each time the stage rules have run on STEP_WORK instructions.
  const most = FILE_RULES + Math.ceil((STAGE_RULES * instructions) / STEP_WORK) + 1;
  assert.ok(steps <= most, `${steps} steps, at most ${most}`);
  assert.ok(steps < STAGE_RULES * m.scopes().length, 'fewer than a step per rule and stage');
  const whole = validateModel(await model(stages.join('')), RULES, SETTINGS).map((d) => JSON.stringify(d));
  assert.deepEqual(diagnostics, whole, 'the same diagnostics as validateModel() of a fresh model');
});

test('a long stage: a step after each stage rule has run on it', async () => {
  const lines = ['FROM alpine'];
  for (let i = 0; i < STEP_WORK + 20; i++) lines.push(`ENV V${i}=${i}`);
  const m = await model(lines.join('\n') + '\n');
  assert.ok(m.instructions.length > STEP_WORK);
  const { steps } = run(m);
  assert.ok(steps >= FILE_RULES + STAGE_RULES, `${steps} steps`);
});
