// ShellParser.deferred() (the language server's): tree-sitter is read and loaded only when a script
// first needs it. Until then such a script throws ShellParserPending; validationSteps() yields the
// load and runs the rule again, validate() throws it for the caller to retry. Once loaded, every
// answer is the eager parser's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createDockerfileService,
  ShellParser,
  ShellParserPending,
  type DockerfileService,
  type ShellParserWasm,
} from '../../server/src/service';
import { BASH_WASM, doc, getService, loadDocs, REPO } from '../helpers/service';

const WASM = (): ShellParserWasm => ({
  treeSitter: readFileSync(join(REPO, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm')),
  bash: readFileSync(BASH_WASM),
});

/** A service over a deferred parser, and how many times the parser read its WebAssembly. */
function deferredService(wasm: () => ShellParserWasm = WASM) {
  let reads = 0;
  const parser = ShellParser.deferred(() => {
    reads++;
    return wasm();
  });
  const service = createDockerfileService({ docs: loadDocs(), shellParser: parser });
  return { parser, service, reads: () => reads };
}

const settings = { lang: 'en' } as const;

/** Scripts Docksmith's own reader reads (shellFast.ts): no tree-sitter needed. */
const SIMPLE = 'FROM alpine:3.20\nRUN cd /src && make\nRUN sudo apk add curl\n';
/** `$((...))` and `[[ ]]` are tree-sitter's: cd-in-run and no-sudo must still see these scripts. */
const NEEDS_TREE_SITTER =
  'FROM alpine:3.20\nRUN echo $((1 + 2)) && cd /src && make\nRUN [[ -d /x ]] && sudo apk add curl\n';

const codes = (diagnostics: readonly { code?: string | number; range: { start: { line: number } } }[]) =>
  diagnostics.map((d) => `${d.range.start.line}:${String(d.code)}`).sort();

test('scripts Docksmith reads itself never load tree-sitter, and get the eager parser diagnostics', async () => {
  const eager = await getService();
  const { parser, service, reads } = deferredService();
  const text = SIMPLE;
  assert.deepEqual(codes(service.validate(doc(text), settings)), codes(eager.validate(doc(text), settings)));
  assert.ok(codes(service.validate(doc(text), settings)).includes('1:cd-in-run'));
  assert.equal(parser.loaded, false);
  assert.equal(reads(), 0, 'the WebAssembly was not even read');
});

test('validateSteps() yields the load when a rule needs tree-sitter, then finishes with the eager diagnostics', async () => {
  const eager = await getService();
  const { parser, service, reads } = deferredService();
  const document = doc(NEEDS_TREE_SITTER);
  const steps = service.validateSteps(document, settings);
  let waits = 0;
  let step = steps.next();
  while (!step.done) {
    if (step.value) {
      waits++;
      assert.equal(parser.loaded, false);
      await step.value;
    }
    step = steps.next();
  }
  assert.equal(waits, 1, 'one load, whatever the number of rules that wanted it');
  assert.equal(parser.loaded, true);
  assert.equal(reads(), 1);
  const expected = codes(eager.validate(doc(NEEDS_TREE_SITTER), settings));
  assert.deepEqual(codes(step.value), expected);
  assert.ok(expected.includes('1:cd-in-run') && expected.includes('2:no-sudo'), expected.join(' '));
});

test('validate() and the other requests throw ShellParserPending before the load, and answer as the eager parser after', async () => {
  const eager = await getService();
  const { parser, service } = deferredService();
  const document = doc(NEEDS_TREE_SITTER);
  let pending: unknown;
  try {
    service.validate(document, settings);
  } catch (error) {
    pending = error;
  }
  assert.ok(pending instanceof ShellParserPending, String(pending));
  await pending.loaded;
  assert.equal(parser.loaded, true);
  assert.deepEqual(
    codes(service.validate(document, settings)),
    codes(eager.validate(doc(NEEDS_TREE_SITTER), settings)),
  );
  // Go to definition from a variable of a tree-sitter script, through the same retry as the server's.
  const text = 'FROM alpine:3.20\nARG N=1\nRUN [[ -n "$N" ]] && echo "$N"\n';
  const fresh = deferredService();
  const position = { line: 2, character: 12 }; // the N of the first "$N"
  const ask = (s: DockerfileService) => s.definition(doc(text, 'file:///definition/Dockerfile'), position);
  let answer;
  try {
    answer = ask(fresh.service);
    assert.fail('the definition needed the script before the parser had loaded');
  } catch (error) {
    assert.ok(error instanceof ShellParserPending, String(error));
    await error.loaded;
    answer = ask(fresh.service);
  }
  assert.deepEqual(answer, ask(eager));
  assert.equal(answer?.[0]?.range.start.line, 1, JSON.stringify(answer));
});

test('a parser that cannot load says why, and its scripts read as errors: the validation still ends', async () => {
  const { parser, service } = deferredService(() => {
    throw new Error('no tree-sitter.wasm here');
  });
  const document = doc(NEEDS_TREE_SITTER + 'RUN cd /other && make\n');
  const steps = service.validateSteps(document, settings);
  let step = steps.next();
  while (!step.done) {
    if (step.value) await step.value;
    step = steps.next();
  }
  assert.equal(parser.loaded, false);
  assert.match(String(parser.loadError), /no tree-sitter\.wasm here/);
  const found = codes(step.value);
  // The script Docksmith reads itself is still checked; the two tree-sitter ones are unreadable.
  assert.ok(found.includes('3:cd-in-run'), found.join(' '));
  assert.ok(!found.includes('1:cd-in-run') && !found.includes('2:no-sudo'), found.join(' '));
  assert.ok(!found.some((c) => c.endsWith(':undefined')), found.join(' '));
  // And a later validation does not wait again.
  assert.deepEqual(codes(service.validate(doc(document.getText()), settings)), found);
  assert.equal(parser.treeSitterTree('[[ x ]]').isError, true);
});
