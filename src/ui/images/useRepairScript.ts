import { useEffect, useState } from 'react';
import type { DiskState, WrittenScript } from '../../state/index.ts';
import {
  isLargeRepair,
  repairScriptHere,
  useEditorStore,
  writeRepairScript,
} from '../../state/index.ts';

/** The repair script while `wanted`: undefined while a worker writes it, or why that failed. */
export function useRepairScript(
  state: DiskState | null,
  wanted: boolean,
): WrittenScript | { failed: string } | undefined {
  const store = useEditorStore();
  const small = state !== null && wanted && !isLargeRepair(state);
  const [got, setGot] = useState<{ of: DiskState; script: WrittenScript | { failed: string } }>();
  useEffect(() => {
    if (!state || !wanted || small) return;
    let current = true;
    writeRepairScript(store, state).then(
      (script) => current && setGot({ of: state, script }),
      (e: unknown) => current && setGot({ of: state, script: { failed: (e as Error).message } }),
    );
    return () => {
      current = false;
    };
  }, [store, state, wanted, small]);
  if (!state || !wanted) return undefined;
  if (small) return repairScriptHere(state);
  return got?.of === state ? got.script : undefined;
}
