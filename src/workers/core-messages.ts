import type { CoreTask } from './core-tasks.ts';

/** One chunk of work for a core worker. */
export interface ToCoreWorker {
  id: number;
  task: CoreTask;
}

export type FromCoreWorker =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; message: string };

export function isToCoreWorker(data: unknown): data is ToCoreWorker {
  const d = data as Partial<ToCoreWorker> | null;
  return typeof d?.id === 'number' && typeof d.task?.kind === 'string';
}

export function isFromCoreWorker(data: unknown): data is FromCoreWorker {
  const d = data as Partial<FromCoreWorker> | null;
  return typeof d?.id === 'number' && typeof d.ok === 'boolean';
}
