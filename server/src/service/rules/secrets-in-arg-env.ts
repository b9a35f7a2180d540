import { Arg, Env, Property, type Instruction } from 'dockerfile-ast';
import type { DockerfileModel } from '../model';
import { effectiveInstruction } from '../shell';
import { expandVariables } from '../variables';
import { defineRule } from './types';

/**
 * BuildKit's SecretsUsedInArgOrEnv heuristic: a name whose first or last `_`-separated word, or
 * any word between underscores, is a secret word (`DB_PASSWORD`, `GITHUB_TOKEN`, `API_KEY`),
 * unless a word marks it as public (`PUBLIC_KEY`, `KEY_FILE`, `TOKEN_VERSION`).
 */
const SECRET_WORDS = [
  'apikey',
  'auth',
  'credential',
  'credentials',
  'key',
  'password',
  'pword',
  'passwd',
  'secret',
  'token',
];
/** BuildKit's allow list, plus `gpg`/`pgp`: `GPG_KEY` holds a public key fingerprint (docker-library images). */
const ALLOW_WORDS = ['public', 'file', 'version', 'gpg', 'pgp'];

const DENY = new RegExp(`(?:_|^)(?:${SECRET_WORDS.join('|')})(?:_|$)`, 'i');
const ALLOW = new RegExp(`(?:_|^)(?:${ALLOW_WORDS.join('|')})(?:_|$)`, 'i');

export function looksLikeSecret(name: string): boolean {
  if (!DENY.test(name) || ALLOW.test(name)) return false;
  // .NET configuration keys: `Filters__0__Key` is the `Key` field of a list entry, not a key.
  if (/__\d+__[A-Za-z]+$/.test(name) && !DENY.test(name.replace(/__\d+__[A-Za-z]+$/, ''))) return false;
  return true;
}

/**
 * A known value that cannot be a secret: empty (ENV only: an ARG without a value is filled in at
 * build time), a boolean or number, a file path or file name, a signing key's public fingerprint.
 */
export function valueIsNotSecret(name: string, value: string, kind: string): boolean {
  if (value === '') return kind === 'ENV';
  if (/^(true|false|yes|no|on|off|0|1|\d+)$/i.test(value)) return true;
  if (/^(\/|~\/|\.{1,2}\/|[A-Za-z]:[\\/])/.test(value)) return true; // /path, ./path, C:\path
  if (/^[\w.-]+\.(sh|py|json|ya?ml|conf|cfg|ini|xml|txt|pem|crt|key|pub|asc|gpg)$/i.test(value)) return true;
  // A public key's fingerprint (`SWIFT_SIGNING_KEY=A62A...1561`).
  if (/(^|_)SIGNING(_|$)/i.test(name) && /^(0x)?[0-9A-F]{16}([0-9A-F]{24})?$/i.test(value)) return true;
  return false;
}

function propertiesOf(instruction: Instruction): Property[] {
  let properties: (Property | null)[] = [];
  if (instruction instanceof Arg) {
    const single = instruction.getProperty();
    properties = single ? [single] : [];
  } else if (instruction instanceof Env) properties = instruction.getProperties();
  return properties.filter((p): p is Property => p !== null);
}

/** The value as the build sees it with the file's defaults, or undefined when it depends on a build arg. */
function knownValue(model: DockerfileModel, property: Property, line: number): string | undefined {
  const raw = property.getValue();
  if (raw === null) return undefined;
  let unresolved = false;
  const value = expandVariables(
    raw,
    (name) => {
      // Declared without a value: filled in by `--build-arg`. Not declared: empty (or the base image's).
      const resolved = model.resolveVariable(name, line);
      if (resolved && resolved.value === undefined) unresolved = true;
      return resolved?.value;
    },
    model.escape,
  );
  return unresolved ? undefined : value;
}

export default defineRule({
  id: 'secrets-in-arg-env',
  severity: 'warning',
  peers: ['DL3064', 'SecretsUsedInArgOrEnv'],
  instructions: ['ARG', 'ENV'],
  scope: 'stage',
  messages: {
    default: {
      en: '`{1}` looks like a secret: {0} values are stored in the image (`docker history`, `docker inspect`) and every layer built from it. Pass secrets with `RUN --mount=type=secret,id={1}` instead.',
      'zh-cn':
        '`{1}` 看起来是机密信息：{0} 的值会保存在镜像中（`docker history`、`docker inspect` 可见），并随镜像的每一层分发。请改用 `RUN --mount=type=secret,id={1}` 传递机密。',
    },
  },
  check({ model, instructions, report }) {
    for (const outer of instructions) {
      const instruction = effectiveInstruction(outer);
      const kind = instruction.getKeyword();
      if (kind !== 'ARG' && kind !== 'ENV') continue;
      let properties = propertiesOf(instruction);
      if (instruction instanceof Arg && properties.length === 0) {
        properties = instruction.getPropertyArguments().map((a) => new Property(model.document, model.escape, a));
      }
      const line = instruction.getRange().start.line;
      for (const property of properties) {
        const name = property.getName();
        if (!looksLikeSecret(name)) continue;
        const value = knownValue(model, property, line);
        const raw = property.getValue();
        if (value !== undefined && valueIsNotSecret(name, value, kind)) continue;
        // Windows paths keep their backslashes: check the value as written too.
        if (raw !== null && !raw.includes('$') && valueIsNotSecret(name, raw.replace(/^(["'])(.*)\1$/, '$2'), kind))
          continue;
        report({ range: property.getNameRange(), args: [kind, name] });
      }
    }
  },
});
