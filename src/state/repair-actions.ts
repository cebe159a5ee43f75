import { packScriptReport } from '../core/index.ts';
import type { DiskState } from './images-slice.ts';
import type { EditorStore } from './editor-store.ts';
import type { WrittenScript } from './written-script.ts';

/**
 * Past this many stray bitmaps and cells in the report, its repair script is written in a core
 * worker: 200,000 strays make 142 MB, 10-30 s the page would stand still for.
 */
export const REPAIR_ON_PAGE = 2_000;
/** Lines of a large script shown on the page, and of its plan; Copy and Download give all. */
export const SHOWN_LINES = 500;

/** Whether the repair script of `state` is written in a worker. */
export function isLargeRepair(state: DiskState): boolean {
  const { report } = state;
  const cells = (report.rows.length + report.notDefined.length) * report.disks.length;
  return report.orphans.length + cells > REPAIR_ON_PAGE;
}

/** A small report's script, written here (`state.repair` keeps it). */
export function repairScriptHere(state: DiskState): WrittenScript {
  const text = state.repair();
  return { whole: text, excerpt: { head: text, lines: 0, length: text.length } };
}

/** Lets the page paint and take input before going on. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function sendRepairScript(store: EditorStore, state: DiskState): Promise<WrittenScript> {
  await nextTask();
  const report = packScriptReport(state.report);
  // Packing and sending are each a tenth of a second with 200,000 strays: two tasks.
  await nextTask();
  const r = await store.services.corePool().run({
    kind: 'repair-script',
    report,
    options: state.repairOptions,
    lines: SHOWN_LINES,
  });
  return { whole: r.script, excerpt: r.excerpt };
}

/**
 * The repair script of `state`, the same bytes wherever it is written: here when small, once in a
 * core worker when large (the report packed: as objects it took the page seconds to send).
 */
export function writeRepairScript(store: EditorStore, state: DiskState): Promise<WrittenScript> {
  if (!isLargeRepair(state)) return Promise.resolve(repairScriptHere(state));
  const written = store.services.repairScripts;
  let script = written.get(state);
  if (!script) {
    script = sendRepairScript(store, state);
    written.set(state, script);
    // A failure is said; asking again tries again.
    script.catch(() => written.delete(state));
  }
  return script;
}
