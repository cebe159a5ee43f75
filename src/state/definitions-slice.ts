import type { StateCreator } from 'zustand';
import type { ReadOutcome } from '../core/index.ts';
import { compareNatural, readTargetDomain } from '../core/index.ts';
import type { EditorMutators, EditorState } from './store.ts';

/**
 * A VM definition found among opened files (a `<domain>` root: virtnbdbackup's
 * `vmconfig.virtnbdbackup.N.xml`, a `virsh dumpxml`): not a checkpoint, the VM at that backup.
 */
export interface VmDefinition {
  /** Its path in the folder, as offered. */
  fileName: string;
  /** The last part of its path: what the page calls it. */
  label: string;
  text: string;
  name?: string;
  uuid?: string;
  /** Its disks' targets, in libvirt's order. */
  disks: string[];
}

export interface DefinitionsSlice {
  /** In natural order of their paths: the last is the newest (`vmconfig.virtnbdbackup.10.xml`). */
  definitions: VmDefinition[];
  /** The target VM's generation when a folder's definition was made the target; null when none was. */
  folderTargetGeneration: number | null;
  /**
   * Keeps the definitions a folder held (a path seen again is replaced), and makes the newest the
   * target VM, unless the operator chose the target.
   */
  addDefinitions: (definitions: readonly VmDefinition[]) => void;
  /** The operator's choice: this definition is the target VM. */
  useDefinitionAsTarget: (fileName: string) => void;
}

/** An opened file that is a VM definition rather than a checkpoint, read as one; undefined otherwise. */
export function definitionOf(
  outcome: Extract<ReadOutcome, { text: string }>,
): VmDefinition | undefined {
  const { verdict } = outcome;
  if (verdict.checkpoint || !verdict.problems.some((p) => p.code === 'wrong-root'))
    return undefined;
  const read = readTargetDomain(outcome.text);
  if (!read.ok) return undefined;
  const definition: VmDefinition = {
    fileName: outcome.fileName,
    label: outcome.fileName.slice(
      Math.max(outcome.fileName.lastIndexOf('/'), outcome.fileName.lastIndexOf('\\')) + 1,
    ),
    text: outcome.text,
    disks: read.value.disks.map((d) => d.target),
  };
  if (read.value.name !== undefined) definition.name = read.value.name;
  if (read.value.uuid !== undefined) definition.uuid = read.value.uuid;
  return definition;
}

export const createDefinitionsSlice: StateCreator<
  EditorState,
  EditorMutators,
  [],
  DefinitionsSlice
> = (set, get) => ({
  definitions: [],
  folderTargetGeneration: null,
  addDefinitions: (added) => {
    if (added.length === 0) return;
    const paths = new Set(added.map((d) => d.fileName));
    const definitions = [...get().definitions.filter((d) => !paths.has(d.fileName)), ...added].sort(
      (a, b) => compareNatural(a.fileName, b.fileName),
    );
    set({ definitions });
    const { target, folderTargetGeneration } = get();
    const chosen = target !== null && target.generation !== folderTargetGeneration;
    const newest = definitions[definitions.length - 1];
    if (chosen || !newest || target?.fileName === newest.fileName) return;
    get().loadTarget(newest.fileName, newest.text);
    const now = get().target;
    if (now?.fileName === newest.fileName) set({ folderTargetGeneration: now.generation });
  },
  useDefinitionAsTarget: (fileName) => {
    const definition = get().definitions.find((d) => d.fileName === fileName);
    if (definition) get().loadTarget(definition.fileName, definition.text);
  },
});

export const selectDefinitions = (s: EditorState) => s.definitions;
/** Whether the target VM is a folder's newest definition, taken for the operator. */
export const selectTargetFromFolder = (s: EditorState) =>
  s.target !== null && s.target.generation === s.folderTargetGeneration;
