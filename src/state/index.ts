export type { EditorState, EditorStore, UndoableState } from './store.ts';
export { createEditorStore, UNDO_BURST_MS } from './store.ts';
export {
  editorStore,
  redo,
  resetEditorStore,
  undo,
  useEditor,
  useUndoHistory,
} from './editor-store.ts';
export type {
  CheckpointDocument,
  CheckpointEdit,
  DocumentOrigin,
  OpenedFile,
} from './documents-slice.ts';
export {
  isUnexported,
  KEEP_ALL,
  selectDocumentOrder,
  selectDocuments,
  selectHasUnexported,
} from './documents-slice.ts';
export { selectSelectedDocument, selectSelectedId } from './selection-slice.ts';
export type { SkippedFile } from './open-slice.ts';
export { selectSkipped } from './open-slice.ts';
export type { ExportOptions } from './export-slice.ts';
export { formatOptionsOf, selectExportOptions } from './export-slice.ts';
export type { SchemaResult, SchemaSetInfo } from './validation-slice.ts';
export { selectProfile, selectSchemaSet } from './validation-slice.ts';
export type {
  CheckpointTreeItem,
  DocumentCheck,
  SessionView,
  ValidationStatus,
} from './session-view.ts';
export { checkDocument, selectSessionView } from './session-view.ts';
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
export type { FileLike } from './read-files.ts';
export { pastedFileName, readCheckpointFiles } from './read-files.ts';
export type { AutosaveStatus } from './persistence.ts';
export { restoreSession, startAutosave } from './persistence.ts';
export type { SchemaValidator } from './schema-scheduler.ts';
export { startSchemaValidation } from './schema-scheduler.ts';
export { EXAMPLE_CHAIN, EXAMPLE_WITH_ERRORS } from './examples.ts';
export type { ExampleName } from './open-actions.ts';
export { loadTargetFile, openExample, openFiles, openPastedText } from './open-actions.ts';
export { loadBundledSchemas, loadSchemaFolder, startSchemaService } from './schema-service.ts';
export { startEditorSession } from './session.ts';
export { selectSaveStatus } from './session-slice.ts';
export type { RuleResult, TargetVm } from './rules-slice.ts';
export { selectRulesKey, selectTarget, selectTargetError } from './rules-slice.ts';
export type { Activity, ActivityName } from './activity-slice.ts';
export { selectActivities } from './activity-slice.ts';
export type { MainView } from './view-slice.ts';
export { selectMainView } from './view-slice.ts';
export { selectRedefineValidate } from './export-slice.ts';
export type { ExportedZip } from './chain-actions.ts';
export { exportAllCheckpoints, selectRedefineScript } from './chain-actions.ts';
export { CHECK_ON_PAGE_LIMIT, selectUncheckedIds } from './session-view.ts';
export { startRuleChecks } from './rule-service.ts';
export { corePool, setCorePool } from './core-service.ts';
