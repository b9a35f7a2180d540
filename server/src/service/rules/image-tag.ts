import type { From } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../model';
import { expandVariables } from '../variables';
import { defineRule } from './types';

/** An image reference split as Docker reads it: `registry:5000/name:tag@sha256:...`. */
export interface ImageReference {
  readonly name: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

export function parseImageReference(image: string): ImageReference {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const named = at >= 0 ? image.slice(0, at) : image;
  const colon = named.lastIndexOf(':');
  // A `:` before the last `/` is a registry port (`localhost:5000/app`), not a tag.
  if (colon > named.lastIndexOf('/')) return { name: named.slice(0, colon), tag: named.slice(colon + 1), digest };
  return { name: named, tag: undefined, digest };
}

/** The FROM image of a stage as Docker sees it, its variables expanded with the global ARGs. */
export interface FromImage {
  readonly from: From;
  /** The image as written. */
  readonly raw: string;
  readonly range: Range;
  /** The image with variables expanded; undefined when a variable has no known value. */
  readonly image: string | undefined;
  /** True when the image is written literally (no `$`): sub-ranges such as the tag can be used. */
  readonly literal: boolean;
}

export function fromImage(model: DockerfileModel, from: From): FromImage | undefined {
  const raw = from.getImage();
  const range = from.getImageRange();
  if (!raw || !range) return undefined;
  if (!raw.includes('$')) return { from, raw, range, image: raw, literal: true };
  const line = range.start.line;
  let unresolved = false;
  const image = expandVariables(
    raw,
    (name) => {
      const value = model.resolveVariable(name, line)?.value;
      if (value === undefined) unresolved = true;
      return value;
    },
    model.escape,
  );
  return { from, raw, range, image: unresolved ? undefined : image, literal: false };
}

/** True when `image` names a stage defined before `line` (`FROM build`), or is `scratch`. */
export function isStageOrScratch(model: DockerfileModel, image: string, line: number): boolean {
  return image === 'scratch' || model.findStage(image, line) !== undefined;
}

export default defineRule({
  id: 'image-tag',
  severity: 'warning',
  peers: ['DL3006'],
  instructions: ['FROM'],
  scope: 'stage',
  messages: {
    default: {
      en: 'The image `{0}` has no tag or digest, so Docker pulls whatever `latest` is on the day of the build: builds are not reproducible. Pin a version, e.g. `{0}:1.2.3`, or a digest `{0}@sha256:...`.',
      'zh-cn':
        '镜像 `{0}` 没有标签也没有摘要，Docker 会拉取构建当天的 `latest`：构建结果不可复现。请固定版本，例如 `{0}:1.2.3`，或使用摘要 `{0}@sha256:...`。',
    },
    variable: {
      en: 'The image `{0}` (`{1}` with the ARG defaults) has no tag or digest, so Docker pulls whatever `latest` is on the day of the build. Give the ARG a default with a version tag.',
      'zh-cn':
        '镜像 `{0}`（按 ARG 默认值展开为 `{1}`）没有标签也没有摘要，Docker 会拉取构建当天的 `latest`。请给该 ARG 一个带版本标签的默认值。',
    },
  },
  check({ model, stages, report }) {
    for (const stage of stages) {
      const image = fromImage(model, stage.from);
      if (!image || image.image === undefined || image.image === '') continue;
      const line = image.range.start.line;
      if (isStageOrScratch(model, image.image, line)) continue;
      const ref = parseImageReference(image.image);
      if (ref.tag !== undefined || ref.digest !== undefined) continue;
      if (image.literal) {
        // The name with its registry (`localhost:5000/app`), not dockerfile-ast's name range without it.
        const start = model.document.offsetAt(image.range.start);
        const end = model.document.positionAt(start + ref.name.length);
        report({ range: { start: image.range.start, end }, args: [image.raw] });
      } else {
        report({ range: image.range, message: 'variable', args: [image.raw, image.image] });
      }
    }
  },
});
