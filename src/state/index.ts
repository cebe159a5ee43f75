// The state layer's entry: what the UI, main.tsx and the tests use.
export type { EditorState } from './editor-state.ts';
export { createEditorStore, redo, resetEditorStore, undo } from './store.ts';
export type { HistoryNote } from './history-note.ts';
export { UNDO_BURST_MS } from './undo-step.ts';
export { DRAFT_QUIET_MS } from './form-drafts.ts';
export { EditorProvider, useEditor, useEditorStore, useUndoHistory } from './editor-hooks.ts';
export type { CheckpointDocument } from './documents-slice.ts';
export type { OpenedFile } from './open-slice.ts';
export {
  bytesOf,
  isUnexported,
  KEEP_ALL,
  libvirtTextOf,
  selectDocumentOrder,
  selectExampleOnly,
  selectHasUnexported,
} from './documents-slice.ts';
export { VM_ROW } from './vm-key.ts';
export { selectSelectedDocument, selectSelectedId } from './selection-slice.ts';
export type { SameName, SameNameChoice, SameNameGroup, SkippedFile } from './open-slice.ts';
export { sameNameGroups, selectBackupFiles, selectSameNames, selectSkipped } from './open-slice.ts';
export type { ExportOptions } from './export-slice.ts';
export { formatOptionsOf, selectExportOptions, selectRedefineValidate } from './export-slice.ts';
export {
  currentSchemaResult,
  selectProfile,
  selectProfileChosen,
  selectSchemaSet,
} from './validation-slice.ts';
export type { VmChain } from './vm-chain.ts';
export {
  selectCounts,
  selectCurrentVm,
  selectCurrentVmChain,
  selectForest,
  selectIdByFile,
  selectProblemsById,
  selectRedefinePlan,
  selectRedefineScript,
  selectRows,
  selectRowsById,
  selectTreeItems,
  selectUncheckedIds,
  selectVerdicts,
  selectVms,
} from './chain-slice.ts';
export type { DocumentCheck } from './derive-chain.ts';
export { CHECK_ON_PAGE_LIMIT, checkDocument, pageCheckOf } from './derive-chain.ts';
export type { DiskRow } from './checkpoint-edits.ts';
export {
  diskRows,
  setCreationTime,
  setDescription,
  setDiskBitmap,
  setDiskCheckpoint,
  setName,
  setParent,
} from './checkpoint-edits.ts';
export { readCheckpointFiles } from './read-files.ts';
export type { SchemaValidator } from './services.ts';
export { startSchemaValidation } from './schema-scheduler.ts';
export { loadTargetFile, openExample, openFiles, openPastedText } from './open-actions.ts';
export { loadSchemaFolder } from './schema-service.ts';
export { startEditorSession } from './session.ts';
export { retrySaving, takeOverSession } from './session-tabs.ts';
export type { AutosaveStatus } from './persistence.ts';
export type { SessionAccess, UnsavedFile } from './session-slice.ts';
export {
  selectAccess,
  selectPersistence,
  selectReadOnly,
  selectReplayedEdits,
  selectSaveStatus,
  selectSessionSaveError,
  selectStorageCleared,
  selectUnsaved,
} from './session-slice.ts';
export type { ExportedFiles } from './unsaved-files.ts';
export { exportUnsavedFiles } from './unsaved-files.ts';
export { selectLargeReadOnly, selectOffPageCheck, selectSourceShown } from './large-file-slice.ts';
export { isLargeFile, isOffPage, READ_ONLY_CHARS } from './large-file-limits.ts';
export { selectTarget, selectTargetError } from './rules-slice.ts';
export type { Activity } from './activity-slice.ts';
export { selectActivities } from './activity-slice.ts';
export type { MainView, PaneLayout } from './view-slice.ts';
export {
  PANE_LIMITS,
  selectHelpCode,
  selectHistoryNote,
  selectLayout,
  selectLocalTime,
  selectMainView,
} from './view-slice.ts';
export type { ExportEntry, ExportPlan } from './chain-actions.ts';
export {
  formatInWorker,
  planExportAll,
  redefineScriptName,
  zipExportPlan,
} from './chain-actions.ts';
export { startRuleChecks } from './rule-service.ts';
export type { DiskState, ImageFile } from './images-slice.ts';
export {
  selectDiskState,
  selectImageFiles,
  selectRepairScriptShown,
  vmProblemCounts,
} from './images-slice.ts';
export type { WrittenScript } from './written-script.ts';
export {
  isLargeRepair,
  repairScriptHere,
  SHOWN_LINES,
  writeRepairScript,
} from './repair-actions.ts';
export { openImageFiles } from './open-actions.ts';
export type { CompareWith, Comparing } from './compare-slice.ts';
export { selectCompareFromOther, selectComparing, selectVmChanges } from './compare-slice.ts';
export type { VmDefinition } from './definitions-slice.ts';
export { selectDefinitions, selectTargetFromFolder } from './definitions-slice.ts';
export type { ProblemCounts } from './problem-counts.ts';
export {
  countProblems,
  fileProblems,
  selectFileCounts,
  selectPanelCounts,
  vmCounts,
  withTheirs,
} from './problem-counts.ts';
export type { BackupState } from './backups-slice.ts';
export { selectBackupState } from './backups-slice.ts';
export { nameLabels } from './name-labels.ts';
