import type { Difference } from '../core/index.ts';
import { compareCheckpoints, parseCheckpoint } from '../core/index.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import { isOffPage } from './large-file-limits.ts';
import type { UndoableState } from './editor-state.ts';
import type { EditorStore } from './editor-store.ts';
import type { OpenedState } from './open-step.ts';
import { applyOpenStep, describeOpenStep, openedStateOf } from './open-step.ts';

export type HistoryStep = 'undo' | 'redo';

/** What the last undo or redo changed, for the status line; `seq` makes the same words heard again. */
export interface HistoryNote {
  text: string;
  seq: number;
  /** The documents as the step left them: the note is stale once they change again. */
  documents: UndoableState['documents'];
}

const STEP_WORD: Record<HistoryStep, string> = { undo: 'Undo', redo: 'Redo' };
/** Fields named in a note at most; the rest are counted. */
const FIELDS_NAMED = 2;

/** A difference as the note names it: the field and its value after the step, when short. */
function fieldOf(d: Difference): string {
  return d.kind === 'changed' ? d.summary.replace('→', ' → ') : d.summary;
}

/** The fields of a checkpoint an undo or redo changed, in libvirt's words; its text when unreadable. */
function changedFields(before: CheckpointDocument, after: CheckpointDocument): string {
  if (before.fileName !== after.fileName && before.text === after.text) return 'its name';
  // An off-page file is megabytes: read by a worker, never here.
  if (isOffPage(before) || isOffPage(after)) return 'its text';
  const a = parseCheckpoint(before.text);
  const b = parseCheckpoint(after.text);
  if (!a.ok || !b.ok) return 'its text';
  const { differences } = compareCheckpoints(a.value, b.value);
  if (differences.length === 0) return 'its layout';
  const named = differences.slice(0, FIELDS_NAMED).map(fieldOf).join('; ');
  const rest = differences.length - FIELDS_NAMED;
  return rest > 0 ? `${named} and ${rest} more` : named;
}

const files = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'file' : 'files'}`;

/**
 * What one step of history did to the documents, said in a line (`Undo in c2.xml: description
 * Typed → Nightly`), and the file it changed, when it changed one that stays open.
 */
export function describeHistoryStep(
  step: HistoryStep,
  before: UndoableState,
  after: UndoableState,
): { text: string; id?: string } {
  const word = STEP_WORD[step];
  const opened = after.documentOrder.filter((id) => !before.documents[id]);
  const closed = before.documentOrder.filter((id) => !after.documents[id]);
  const changed = after.documentOrder.filter(
    (id) => before.documents[id] && before.documents[id] !== after.documents[id],
  );
  const name = (doc: CheckpointDocument | undefined) => doc?.path ?? doc?.fileName ?? '';
  const parts: string[] = [];
  if (opened.length === 1) parts.push(`${name(after.documents[opened[0] ?? ''])} back`);
  else if (opened.length > 1) parts.push(`${files(opened.length)} back`);
  if (closed.length === 1) parts.push(`${name(before.documents[closed[0] ?? ''])} closed`);
  else if (closed.length > 1) parts.push(`${files(closed.length)} closed`);
  const only = changed.length === 1 ? changed[0] : undefined;
  if (only !== undefined) {
    const doc = after.documents[only] as CheckpointDocument;
    parts.push(`${name(doc)}: ${changedFields(before.documents[only] as CheckpointDocument, doc)}`);
  } else if (changed.length > 1) parts.push(`${files(changed.length)} changed`);
  const text = parts.length > 0 ? `${word}: ${parts.join(', ')}` : `${word}: nothing changed`;
  const id = only ?? (opened.length === 1 ? opened[0] : undefined);
  return id === undefined ? { text } : { text, id };
}

/**
 * An open's step (open-step.ts), applied to the state of the moment with history paused; its
 * reverse goes on the other side of the history. Undefined when the next step is not an open's.
 */
function stepOpen(store: EditorStore, step: HistoryStep): OpenedState | undefined {
  const history = store.temporal.getState();
  const from = step === 'undo' ? history.pastStates : history.futureStates;
  const entry = from[from.length - 1];
  const open = entry && store.openSteps.get(entry);
  if (!entry || !open) return undefined;
  const before = openedStateOf(store.getState());
  const { next, inverse } = applyOpenStep(before, open);
  history.pause();
  try {
    store.setState(next);
  } finally {
    history.resume();
  }
  const back: Partial<UndoableState> = {
    documents: before.documents,
    documentOrder: before.documentOrder,
  };
  store.openSteps.set(back, inverse);
  store.temporal.setState((t) =>
    step === 'undo'
      ? { pastStates: t.pastStates.slice(0, -1), futureStates: [...t.futureStates, back] }
      : { pastStates: [...t.pastStates, back], futureStates: t.futureStates.slice(0, -1) },
  );
  return before;
}

/** One step back or forward in the documents' history, then the line that says what it did. */
export function stepHistory(store: EditorStore, step: HistoryStep): void {
  const history = store.temporal.getState();
  if ((step === 'undo' ? history.pastStates : history.futureStates).length === 0) return;
  // An open under way is one step once done: a step now would take its first files with another.
  if (!history.isTracking) {
    store.getState().noteHistoryStep(`${STEP_WORD[step]}: not while files are opening`);
    return;
  }
  const s = store.getState();
  const before: UndoableState = { documents: s.documents, documentOrder: s.documentOrder };
  const opened = stepOpen(store, step);
  if (!opened) {
    if (step === 'undo') history.undo();
    else history.redo();
  }
  const now = store.getState();
  const note = describeHistoryStep(step, before, {
    documents: now.documents,
    documentOrder: now.documentOrder,
  });
  // An open's step says what else it took back or brought: definitions, backup files…
  const more = opened ? describeOpenStep(opened, openedStateOf(now)) : [];
  const text =
    more.length === 0
      ? note.text
      : note.text.endsWith(': nothing changed')
        ? `${STEP_WORD[step]}: ${more.join(', ')}`
        : `${note.text}, ${more.join(', ')}`;
  // The file it changed is shown selected, wherever the operator was.
  if (note.id !== undefined) now.selectDocument(note.id);
  store.getState().noteHistoryStep(text);
}
