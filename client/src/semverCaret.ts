/**
 * What vscode-languageclient asks of semver, for the client bundle (scripts/trim-language-client.mjs
 * puts these in place of `semver/functions/parse` and `semver/functions/satisfies`): it parses VS
 * Code's version, clears its pre-release tag, and checks it against a caret range (`^1.82.0`).
 * semver itself is 20 KB of the bundle, and building its regular expressions is a good part of
 * loading it. Same answers as semver 7 for any version string and any `^x.y.z` range with x >= 1
 * (test/client/trimLanguageClient.test.ts compares them); any other range throws.
 */

export interface ParsedVersion {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
}

const IDENTIFIER = String.raw`(?:0|[1-9]\d*|\d*[a-zA-Z-][a-zA-Z0-9-]*)`;
const VERSION = new RegExp(
  String.raw`^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
    String.raw`(?:-(${IDENTIFIER}(?:\.${IDENTIFIER})*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$`,
);
/** semver's MAX_LENGTH. */
const MAX_LENGTH = 256;

/** semver.parse(version) without options: the version, or null. */
export function parse(version: unknown): ParsedVersion | null {
  if (typeof version !== 'string' || version.length > MAX_LENGTH) return null;
  const m = VERSION.exec(version.trim());
  if (!m) return null;
  const [major, minor, patch] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
  if (![major, minor, patch].every(Number.isSafeInteger)) return null;
  return { major, minor, patch, prerelease: m[4] === undefined ? [] : m[4].split('.') };
}

/** semver.satisfies(version, range) for `range` = `^x.y.z` with x >= 1: >=x.y.z <(x+1).0.0-0. */
export function satisfies(version: ParsedVersion, range: string): boolean {
  const m = /^\^([1-9]\d*)\.(\d+)\.(\d+)$/.exec(range);
  if (!m) throw new Error(`Docksmith's client bundle checks only ^x.y.z ranges (x >= 1), not ${range}`);
  const [major, minor, patch] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
  // A pre-release version satisfies a range only through a comparator with the same x.y.z and a
  // pre-release tag: here `<(x+1).0.0-0`, which no version (x+1).0.0-<tag> is below.
  if (version.prerelease.length > 0) return false;
  return version.major === major && (version.minor > minor || (version.minor === minor && version.patch >= patch));
}
