import { fromImage, isStageOrScratch, parseImageReference } from './image-tag';
import { defineRule } from './types';

export default defineRule({
  id: 'latest-tag',
  severity: 'warning',
  peers: ['DL3007'],
  instructions: ['FROM'],
  scope: 'stage',
  messages: {
    default: {
      en: '`{0}:latest` moves whenever a new version is pushed: builds are not reproducible and may break without any change on your side. Pin a version tag or a digest.',
      'zh-cn':
        '`{0}:latest` 会随着新版本的推送而变化：构建结果不可复现，你什么都没改也可能突然失败。请固定版本标签或使用摘要。',
    },
    variable: {
      en: 'The image `{0}` expands to `{1}` with the ARG defaults: `latest` moves whenever a new version is pushed. Give the ARG a default with a version tag.',
      'zh-cn':
        '镜像 `{0}` 按 ARG 默认值展开为 `{1}`：`latest` 会随着新版本的推送而变化。请给该 ARG 一个带版本标签的默认值。',
    },
  },
  check({ model, stages, report }) {
    for (const stage of stages) {
      const image = fromImage(model, stage.from);
      if (!image || image.image === undefined) continue;
      if (isStageOrScratch(model, image.image, image.range.start.line)) continue;
      const ref = parseImageReference(image.image);
      // A digest pins the image whatever the tag says.
      if (ref.tag !== 'latest' || ref.digest !== undefined) continue;
      if (image.literal) {
        report({ range: stage.from.getImageTagRange() ?? image.range, args: [ref.name] });
      } else {
        report({ range: image.range, message: 'variable', args: [image.raw, image.image] });
      }
    }
  },
});
