import type { StateCreator } from 'zustand';
import type { FormatOptions } from '../core/index.ts';
import type { EditorMutators, EditorState } from './editor-state.ts';

/** The virsh checkpoint-dumpxml flags, as checkboxes. By default nothing the file held is dropped. */
export interface ExportOptions {
  includeDomain: boolean;
  includeSecurityInfo: boolean;
  includeSize: boolean;
}

export interface ExportSlice {
  exportOptions: ExportOptions;
  setExportOption: (option: keyof ExportOptions, value: boolean) => void;
  /** The redefine script's --redefine-validate: libvirt checks each bitmap against the disks. */
  redefineValidate: boolean;
  setRedefineValidate: (value: boolean) => void;
}

// This slice's part of the editor's state.
declare module './editor-state.ts' {
  interface EditorState extends ExportSlice {}
}

const DEFAULT_EXPORT_OPTIONS: ExportOptions = {
  includeDomain: true,
  includeSecurityInfo: true,
  includeSize: true,
};

export const createExportSlice: StateCreator<EditorState, EditorMutators, [], ExportSlice> = (
  set,
  get,
) => ({
  exportOptions: DEFAULT_EXPORT_OPTIONS,
  setExportOption: (option, value) =>
    set({ exportOptions: { ...get().exportOptions, [option]: value } }),
  redefineValidate: false,
  setRedefineValidate: (redefineValidate) => set({ redefineValidate }),
});

export const selectExportOptions = (s: EditorState) => s.exportOptions;
export const selectRedefineValidate = (s: EditorState) => s.redefineValidate;

/** The options as formatCheckpoint takes them. */
export function formatOptionsOf(options: ExportOptions): FormatOptions {
  return {
    noDomain: !options.includeDomain,
    securityInfo: options.includeSecurityInfo,
    size: options.includeSize,
  };
}
