export type { Position, Problem, Result, Severity } from './problem.ts';
export { describeProblem, hasErrors, problem, withFile } from './problem.ts';
export type { XmlAttribute, XmlElement, XmlNode, XmlText } from './xml.ts';
export { MAX_DEPTH, parseXml } from './xml.ts';
export { decodeXml } from './decode.ts';
export type { Moment, MomentPositions } from './moment.ts';
export type { Checkpoint, CheckpointDisk, CheckpointType } from './checkpoint.ts';
export { CHECKPOINT_ROOT, parseCheckpoint, readCheckpoint } from './checkpoint.ts';
export type { DomainDisk } from './domain.ts';
export {
  domainName,
  domainUuid,
  findDomainDisk,
  isCheckpointable,
  readDomainDisks,
} from './domain.ts';
export { alignDisks, assignBitmapNames } from './align-disks.ts';
export type { RedefineOptions, RedefineProfile } from './redefine.ts';
export { redefineCheckpoint } from './redefine.ts';
export type { CreateOptions } from './create.ts';
export { createCheckpoint, writableDisks } from './create.ts';
export { qemuWarnings } from './qemu-rules.ts';
export type { FormatOptions } from './format.ts';
export { formatCheckpoint } from './format.ts';
export { escapeXml } from './escape.ts';
export type { CheckedCheckpoint, CheckOptions } from './check.ts';
export { checkCheckpoint, checkpointFileName } from './check.ts';
export { compareNatural, compareVirsh } from './order.ts';
export type { Forest, ForestBuild, ForestEntry, ForestOptions } from './forest.ts';
export { buildForest, keyOf, updateForest } from './forest.ts';
export type { ForestRow, ForestRows, RowFile } from './forest-rows.ts';
export { forestRows } from './forest-rows.ts';
export { formatTree } from './tree-text.ts';
export { DEFAULT_MAX_FILE_BYTES, fileSizeProblem } from './limits.ts';
export { libvirtMessage } from './libvirt-error.ts';
export { checkOnTarget, readTargetDomain, type TargetDomain } from './target-domain.ts';
export type { RedefineScriptOptions } from './redefine-script.ts';
export { forestDomainName, redefineScript, shellQuote } from './redefine-script.ts';
export { creationTimeProblem, diskNameProblem, fieldProblems, nameProblem } from './fields.ts';
export type { BytesFile, ReadOutcome, RuleSet, RuleVerdict } from './verdict.ts';
export { chainDomain, checkRules, openFile, verdictOf } from './verdict.ts';
