import type { SchemaSet } from '../validation/index.ts';
import { createWorkerValidator, fetchSchemaSet, schemaSetFromFiles } from '../validation/index.ts';
import type { FileLike } from './read-files.ts';
import { startSchemaValidation } from './schema-scheduler.ts';
import type { Job } from './services.ts';
import type { EditorStore } from './editor-store.ts';

function switchSchemaSet(store: EditorStore, set: SchemaSet, label: string, version?: string) {
  // A text validated before (this visit or an earlier one) is not validated again: the workers
  // keep verdicts in IndexedDB. A chain's checkpoints mostly carry the same <domain>, and each
  // worker validates each distinct one once.
  store.services.useValidator(createWorkerValidator(set, { keepVerdicts: true }));
  store.getState().setSchemaSet({ label, status: 'ready', ...(version ? { version } : {}) }, true);
}

/** The schema set installed with the app (public/schemas/current.json names it). */
export async function loadBundledSchemas(store: EditorStore, baseUrl: string): Promise<void> {
  store.getState().setSchemaSet({ label: 'libvirt schemas', status: 'loading' }, false);
  try {
    const set = await fetchSchemaSet(baseUrl);
    switchSchemaSet(store, set, `libvirt ${set.version} schemas`, set.version);
  } catch (e) {
    store
      .getState()
      .setSchemaSet(
        { label: 'libvirt schemas', status: 'failed', error: (e as Error).message },
        false,
      );
  }
}

/** A folder of .rng files the operator picked: validates everything again with it, for this session. */
export async function loadSchemaFolder(
  store: EditorStore,
  files: readonly FileLike[],
): Promise<void> {
  const rng = files.filter((f) => /\.rng$/i.test(f.name));
  const folder = (files[0]?.webkitRelativePath ?? '').split('/')[0] || 'picked folder';
  const label = `schemas from ${folder}`;
  const previous = store.getState().schemaSet;
  store.getState().setSchemaSet({ label, status: 'loading' }, false);
  try {
    if (rng.length === 0) throw new Error(`${folder} holds no .rng file`);
    const contents = await Promise.all(
      rng.map(async (f) => ({ fileName: f.name, contents: await f.text() })),
    );
    switchSchemaSet(store, schemaSetFromFiles(contents), label);
  } catch (e) {
    // The set in use stays in use; the operator learns why the new one was refused.
    store.getState().setSchemaSet(
      {
        label: previous.label,
        status: store.services.validator() ? 'ready' : 'failed',
        error: `${label}: ${(e as Error).message}`,
      },
      false,
    );
  }
}

/** Keeps schema verdicts current with the set in use. */
export function startSchemaService(store: EditorStore): Job {
  return startSchemaValidation(store, () => store.services.validator());
}
