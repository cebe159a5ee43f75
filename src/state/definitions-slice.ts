import type { StateCreator } from 'zustand';
import type { ReadOutcome } from '../core/index.ts';
import { compareNatural, readTargetDomain } from '../core/index.ts';
import { DEFAULT_VM } from './vm-key.ts';
import type { EditorMutators, EditorState } from './editor-state.ts';

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
  /** The VM it belongs to (core's groupByVm key). */
  vm?: string;
}

/** The VM a definition belongs to. */
export function vmOfDefinition(d: VmDefinition): string {
  return d.vm ?? DEFAULT_VM;
}

export interface DefinitionsSlice {
  /**
   * Every VM's, in natural order of their paths: a VM's last is its newest
   * (`vmconfig.virtnbdbackup.10.xml`).
   */
  definitions: VmDefinition[];
  /** By VM: its target's generation when a folder's definition was made its target. */
  folderTargetGenerations: Record<string, number>;
  /**
   * Keeps the definitions a folder held (a path seen again is replaced), and makes the newest the
   * target VM, unless the operator chose the target.
   */
  addDefinitions: (definitions: readonly VmDefinition[]) => void;
  /** The operator's choice: this definition is the target VM. */
  useDefinitionAsTarget: (fileName: string) => void;
}

// This slice's part of the editor's state.
declare module './editor-state.ts' {
  interface EditorState extends DefinitionsSlice {}
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
  folderTargetGenerations: {},
  addDefinitions: (added) => {
    if (added.length === 0) return;
    const paths = new Set(added.map((d) => `${vmOfDefinition(d)}\u0000${d.fileName}`));
    const definitions = [
      ...get().definitions.filter((d) => !paths.has(`${vmOfDefinition(d)}\u0000${d.fileName}`)),
      ...added,
    ].sort((a, b) => compareNatural(a.fileName, b.fileName));
    set({ definitions });
    // Each VM's newest definition becomes its target, unless the operator chose that VM's target.
    for (const vm of new Set(added.map(vmOfDefinition))) {
      const { targets, folderTargetGenerations } = get();
      const target = targets[vm];
      const chosen = target !== undefined && target.generation !== folderTargetGenerations[vm];
      const newest = definitions.filter((d) => vmOfDefinition(d) === vm).pop();
      if (chosen || !newest || target?.fileName === newest.fileName) continue;
      get().loadTarget(newest.fileName, newest.text, vm);
      const now = get().targets[vm];
      if (now?.fileName === newest.fileName) {
        set({
          folderTargetGenerations: { ...get().folderTargetGenerations, [vm]: now.generation },
        });
      }
    }
  },
  useDefinitionAsTarget: (fileName) => {
    const definition = get().definitionsOnScreen.find((d) => d.fileName === fileName);
    if (definition)
      get().loadTarget(definition.fileName, definition.text, vmOfDefinition(definition));
  },
});

/** The VM on screen's definitions, in natural order of their paths. */
export const selectDefinitions = (s: EditorState) => s.definitionsOnScreen;
/** Whether the VM on screen's target is its folder's newest definition, taken for the operator. */
export const selectTargetFromFolder = (s: EditorState) =>
  s.target !== null && s.target.generation === s.folderTargetGenerations[s.currentVm];
