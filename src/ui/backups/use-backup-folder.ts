import type { BackupFolder } from '../../core/index.ts';
import { selectBackupState, useEditor } from '../../state/index.ts';

/**
 * The VM on screen's virtnbdbackup folder: its data files mapped to its checkpoints by core's
 * mapBackups (the CLI's check and tree say the same), or undefined when it brought no data file.
 * The store works it out (backups-slice.ts): its problems are its checkpoints' in every count.
 */
export function useBackupFolder(): BackupFolder | undefined {
  return useEditor(selectBackupState)?.folder;
}
