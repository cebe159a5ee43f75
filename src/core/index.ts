export type { Position, Problem, Result, Severity } from './problem.ts';
export { describeProblem, hasErrors, problem, withFile } from './problem.ts';
export type { XmlAttribute, XmlDocument, XmlElement, XmlNode, XmlText } from './xml.ts';
export { MAX_DEPTH, parseXml, parseXmlDocument } from './xml.ts';
export { decodeXml, libvirtText } from './decode.ts';
export { unexpandedEntityProblems } from './libvirt-schema.ts';
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
export type { Forest, ForestEntry, ForestOptions } from './forest.ts';
export { buildForest, keyOf } from './forest.ts';
export { formatTree, treeLines } from './tree-text.ts';
export { readLongLong, readUnsignedLongLong } from './integer.ts';
export { DEFAULT_MAX_FILE_BYTES, fileSizeProblem, overLimitProblem } from './limits.ts';
export { libvirtMessage } from './libvirt-error.ts';
export { checkOnTarget, readTargetDomain, type TargetDomain } from './target-domain.ts';
export type { RedefineScriptOptions } from './redefine-script.ts';
export {
  forestDomainName,
  redefineScript,
  shellAssignment,
  shellQuote,
} from './redefine-script.ts';
export { creationTimeProblem, diskNameProblem, fieldProblems, nameProblem } from './fields.ts';
export type { ZipEntryNames, ZipRename } from './zip-names.ts';
export { safeFileName, zipEntryNames } from './zip-names.ts';
