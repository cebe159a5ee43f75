import type { StateCreator } from 'zustand';
import type { FormatOptions } from '../core/index.ts';
import type { EditorMutators, EditorState } from './store.ts';

/** The virsh checkpoint-dumpxml flags, as checkboxes. By default nothing the file held is dropped. */
export interface ExportOptions {
  includeDomain: boolean;
  includeSecurityInfo: boolean;
  includeSize: boolean;
}

export interface ExportSlice {
  exportOptions: ExportOptions;
  setExportOption: (option: keyof ExportOptions, value: boolean) => void;
}

export const DEFAULT_EXPORT_OPTIONS: ExportOptions = {
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
});

export const selectExportOptions = (s: EditorState) => s.exportOptions;

/** The options as formatCheckpoint takes them. */
export function formatOptionsOf(options: ExportOptions): FormatOptions {
  return {
    noDomain: !options.includeDomain,
    securityInfo: options.includeSecurityInfo,
    size: options.includeSize,
  };
}
