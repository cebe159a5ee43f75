// Core's entry: what the other layers (and the tests) use. Pure TypeScript: the page, a Worker and Node.
export type { Position, Problem, Result } from './problem.ts';
export { describeProblem, problem, withFile } from './problem.ts';
export { append } from './append.ts';
export { copyRecord } from './copy-record.ts';
export { seconds } from './duration.ts';
export type { XmlAttribute, XmlDocument, XmlElement, XmlNode, XmlText } from './xml.ts';
export { MAX_DEPTH, parseXml, parseXmlDocument } from './xml.ts';
export type { DecodedFile } from './decode.ts';
export { decodeXml, decodeXmlFile, libvirtText } from './decode.ts';
export { unexpandedEntityProblems } from './libvirt-schema.ts';
export type { Checkpoint, CheckpointDisk, CheckpointType } from './checkpoint.ts';
export { parseCheckpoint, readCheckpoint } from './checkpoint.ts';
export type { DomainDisk } from './domain.ts';
export { domainName, domainUuid, findDomainDisk, readDomainDisks } from './domain.ts';
export type { RedefineOptions, RedefineProfile } from './redefine.ts';
export { profileOfVersion, redefineCheckpoint } from './redefine.ts';
export type { CreateOptions } from './create.ts';
export { createCheckpoint, writableDisks } from './create.ts';
export type { CheckpointFieldEdit, DiskFieldEdit } from './edit-in-place.ts';
export { applyCheckpointEdit, editCheckpointText } from './edit-in-place.ts';
export type { FormatChange } from './format-changes.ts';
export { formatChanges, summarizeChanges } from './format-changes.ts';
export type { FormatOptions } from './format.ts';
export { formatCheckpoint } from './format.ts';
export { escapeXml } from './escape.ts';
export { checkCheckpoint, checkpointFileName } from './check.ts';
export { compareNatural } from './order.ts';
export type { ForestEntry } from './forest-entry.ts';
export type { Forest } from './forest.ts';
export { buildForest } from './forest.ts';
export type { ForestBuild } from './forest-update.ts';
export { updateForest } from './forest-update.ts';
export type { ForestRow, ForestRows, RowFile } from './forest-rows.ts';
export { forestRows } from './forest-rows.ts';
export { formatTree, treeLines } from './tree-text.ts';
export { readLongLong, readUnsignedLongLong } from './integer.ts';
export { DEFAULT_MAX_FILE_BYTES, fileSizeProblem, overLimitProblem } from './limits.ts';
export { libvirtMessage } from './libvirt-error.ts';
export { checkOnTarget, readTargetDomain, type TargetDomain } from './target-domain.ts';
export type { LeftOut, LeftOutReason, RedefinePlan } from './redefine-plan.ts';
export { leftOutSummary, planRedefine } from './redefine-plan.ts';
export type { HelpTopic, ProblemHelp } from './problem-help.ts';
export { HELP_TOPICS, MOMENT_MEANING, PROBLEM_HELP, problemHelp } from './problem-help.ts';
export type { ExplainedProblem, GroupedProblems, ProblemGroup } from './problem-groups.ts';
export { countListed, explainProblems, groupProblems } from './problem-groups.ts';
export {
  countDomainNames,
  forestDomainName,
  mostNamed,
  redefineScript,
} from './redefine-script.ts';
export { shellAssignment, shellQuote, shellWord } from './shell.ts';
export { qemuJsonString, virshTableCell } from './host-checks.ts';
export { creationTimeProblem, fieldProblems } from './fields.ts';
export type { ZipEntryNames, ZipRename } from './zip-names.ts';
export { safeFileName, zipEntryNames } from './zip-names.ts';
export type { BytesFile, ReadOutcome, RuleSet, RuleVerdict } from './verdict.ts';
export { chainDomain, checkRules, openFile, verdictOf } from './verdict.ts';
export type { DomainReuse, DomainSpan } from './domain-reuse.ts';
export { createDomainReuse, findDomain } from './domain-reuse.ts';
export type { ImageBitmap, ImageInfo, ImageLayer, ImageSource } from './image-info.ts';
export { bitmapIncapacity, readImageInfo } from './image-info.ts';
export type { DiskImage, ImageMatch, ImageMatchKind } from './image-match.ts';
export { matchImages } from './image-match.ts';
export { backupVm, checkpointsByAge } from './backup-vm.ts';
export type { ChainOptions, ChainVerdict } from './bitmap-chain.ts';
export { bitmapChainVerdict } from './bitmap-chain.ts';
export type {
  BitmapCell,
  BitmapReport,
  BitmapRow,
  BitmapVerdict,
  BitmapVerdictOptions,
  DiskReport,
  Evidence,
  OrphanBitmap,
} from './bitmap-verdicts.ts';
export { EVIDENCE, STALE, unknownReason } from './bitmap-verdicts.ts';
export { bitmapVerdictSteps, bitmapVerdicts } from './bitmap-reconcile.ts';
export type { Steps } from './steps.ts';
export { runSteps, runStepsPausing } from './steps.ts';
export type {
  BackupReadiness,
  DiskReadiness,
  DiskReadinessState,
  VmReadiness,
} from './backup-readiness.ts';
export { aboutBytes, backupReadiness } from './backup-readiness.ts';
export type { BackupXmlOptions } from './backup-xml.ts';
export type { ListedCandidate } from './libvirt-list.ts';
export { libvirtListed } from './libvirt-list.ts';
export { backupJob, backupXml } from './backup-xml.ts';
export type { RepairScriptOptions } from './repair-script.ts';
export { repairScript } from './repair-script.ts';
export type { PackedImageInfo, PackedScriptReport, ScriptReport } from './report-transfer.ts';
export {
  packImageInfo,
  packScriptReport,
  unpackImageInfo,
  unpackedImageInfo,
  unpackScriptReport,
} from './report-transfer.ts';
export type { ScriptExcerpt } from './script-excerpt.ts';
export { scriptExcerpt } from './script-excerpt.ts';
export type {
  Bundle,
  BundleBatch,
  BundleEntry,
  BundleKind,
  BundleLimits,
  BundleOutcome,
  BundleProgress,
  BundleSkip,
  UnpackBundleOptions,
} from './bundle.ts';
export {
  bundleKind,
  bundlePath,
  DEFAULT_MAX_BUNDLE_BYTES,
  readBundle,
  unpackBundle,
} from './bundle.ts';
export type { Difference, DifferenceKind } from './difference.ts';
export type { Comparison } from './compare.ts';
export { compareCheckpoints } from './compare.ts';
export { compareDomainFacts, compareDomains, formatDomainText } from './compare-domain.ts';
export { describeGap, utcTime } from './creation-time.ts';
export type { DiskFacts, DomainFacts } from './domain-facts.ts';
export { domainFacts, formatBytes } from './domain-facts.ts';
export type { ChainMoment, VmChange } from './vm-changes.ts';
export { describeVmChange, vmChangeOf } from './vm-changes.ts';
export type {
  VmAssignment,
  VmEvidence,
  VmFile,
  VmFileIndex,
  VmGroup,
  VmGrouping,
} from './vm-groups.ts';
export {
  addVmFile,
  createVmFileIndex,
  describeVm,
  groupByVm,
  readVmFile,
  vmKeyOf,
} from './vm-groups.ts';
export type {
  BackupDataFile,
  BackupFile,
  BackupHeader,
  BackupFolder,
  BackupLevel,
  CheckpointBackup,
  DiskBackup,
} from './backup-folder.ts';
export {
  BACKUP_HEADER_BYTES,
  hasBackupData,
  isBackupImageConfig,
  mapBackups,
  readBackupFileName,
  readBackupHeader,
} from './backup-folder.ts';
export type { Arrival } from './repeated-files.ts';
export {
  arrivalOf,
  dropRepeats,
  fileBaseName,
  openFileKey,
  REPEAT_REASON,
} from './repeated-files.ts';
export { containerHost, keyOnHost, offeredHost, splitHostKey } from './vm-hosts.ts';
