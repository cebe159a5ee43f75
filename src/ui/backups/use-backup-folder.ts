import { useMemo } from 'react';
import type { BackupFolder } from '../../core/index.ts';
import { hasBackupData, mapBackups } from '../../core/index.ts';
import { selectBackupFiles, useEditor } from '../../state/index.ts';

/**
 * The VM on screen's virtnbdbackup folder: its data files mapped to its checkpoints by core's
 * mapBackups (the CLI's check and tree say the same), or undefined when it brought no data file.
 */
export function useBackupFolder(): BackupFolder | undefined {
  const paths = useEditor(selectBackupFiles);
  const forest = useEditor((s) => s.forest);
  const headers = useEditor((s) => s.backupHeaders);
  return useMemo(() => {
    if (!hasBackupData(paths)) return undefined;
    const known = new Map(paths.flatMap((p) => (headers[p] ? [[p, headers[p]] as const] : [])));
    return mapBackups(paths, [...forest.entries.values()], known);
  }, [paths, forest, headers]);
}
