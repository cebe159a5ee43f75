import { restoreSession, startAutosave } from './persistence.ts';
import { openExample } from './open-actions.ts';
import { startRuleChecks } from './rule-service.ts';
import { loadBundledSchemas, startSchemaService } from './schema-service.ts';
import type { EditorStore } from './store.ts';

/**
 * Starts the page's session: the last one back from IndexedDB (or the example chain on a first
 * visit), autosave, the bundled schema set and validation in the worker, libvirt's rules over many
 * files in the core workers.
 */
export async function startEditorSession(
  store: EditorStore,
  options: { schemasUrl: string },
): Promise<void> {
  let restored = false;
  try {
    restored = await restoreSession(store);
  } catch {
    // No IndexedDB (private mode, or refused): the session simply starts fresh.
  }
  if (!restored) {
    openExample(store, 'chain');
    store.temporal.getState().clear();
  }
  startAutosave(store, (status) => store.getState().setSaveStatus(status));
  startRuleChecks(store);
  store.services.corePool().warm();
  startSchemaService(store);
  void loadBundledSchemas(store, options.schemasUrl);
}
