import type { Rule } from './types';
import consecutiveRun from './consecutive-run';
import aptUpdateAlone from './apt-update-alone';
import jsonArgs from './json-args';
import preferCopy from './prefer-copy';
import shellFormInScratch from './shell-form-in-scratch';
import envKeyValue from './env-key-value';
import overriddenInstruction from './overridden-instruction';
import entrypointShellIgnoresCmd from './entrypoint-shell-ignores-cmd';
import execFormVariable from './exec-form-variable';
import maintainerDeprecated from './maintainer-deprecated';
import workdirAbsolute from './workdir-absolute';
import inlineComment from './inline-comment';
import cdInRun from './cd-in-run';
import pipefail from './pipefail';
import noSudo from './no-sudo';
import aptGetYes from './apt-get-yes';
import aptNoRecommends from './apt-no-recommends';
import aptListsCleanup from './apt-lists-cleanup';
import cmdForeground from './cmd-foreground';
import cleanupInLaterLayer from './cleanup-in-later-layer';
import copyThenChown from './copy-then-chown';
import imageTag from './image-tag';
import latestTag from './latest-tag';
import duplicateStageName from './duplicate-stage-name';
import unknownStage from './unknown-stage';
import stageNameCasing from './stage-name-casing';
import exposePort from './expose-port';
import secretsInArgEnv from './secrets-in-arg-env';
import undefinedVar from './undefined-var';
import syntax from './syntax';
import emptyContinuation from './empty-continuation';
import instructionCasing from './instruction-casing';
/** The registry: every rule, one import each. A registry test checks ids, tests, docs and messages. */
export const RULES: readonly Rule[] = [
  consecutiveRun,
  aptUpdateAlone,
  jsonArgs,
  preferCopy,
  shellFormInScratch,
  envKeyValue,
  overriddenInstruction,
  entrypointShellIgnoresCmd,
  execFormVariable,
  maintainerDeprecated,
  workdirAbsolute,
  inlineComment,
  cdInRun,
  pipefail,
  noSudo,
  aptGetYes,
  aptNoRecommends,
  aptListsCleanup,
  cmdForeground,
  cleanupInLaterLayer,
  copyThenChown,
  imageTag,
  latestTag,
  duplicateStageName,
  unknownStage,
  stageNameCasing,
  exposePort,
  secretsInArgEnv,
  undefinedVar,
  syntax,
  emptyContinuation,
  instructionCasing,
];
