import { restoreSession } from './session-restore.ts';
import { openExample } from './open-actions.ts';
import { startRuleChecks } from './rule-service.ts';
import { loadBundledSchemas, startSchemaService } from './schema-service.ts';
import { claimSession, startEditing, startFollowing } from './session-tabs.ts';
import { startLargeFileService } from './large-file-service.ts';
import type { EditorStore } from './editor-store.ts';

/**
 * Starts the page's session: this tab edits it if no other tab does (else it follows that tab,
 * read-only); the last session back from IDB (or the example chain on a first visit), autosave,
 * the bundled schema set and validation in the worker, libvirt's rules over many files and the
 * reading of large files in the core workers.
 */
export async function startEditorSession(
  store: EditorStore,
  options: { schemasUrl: string },
): Promise<void> {
  const editing = await claimSession(store);
  // A tab that follows listens before it reads, so that no save of the editing tab is missed.
  if (!editing) startFollowing(store, 'elsewhere');
  let restored = false;
  try {
    // The editing tab writes again what a tab typed and never stored (see edit-journal.ts).
    restored = await restoreSession(store, { replay: editing });
  } catch {
    // No IndexedDB (private mode, or refused): the session simply starts fresh.
  }
  if (editing) {
    if (!restored) {
      openExample(store, 'chain');
      store.temporal.getState().clear();
    }
    startEditing(store);
  }
  startRuleChecks(store);
  startLargeFileService(store);
  store.services.corePool().warm();
  startSchemaService(store);
  void loadBundledSchemas(store, options.schemasUrl);
}
