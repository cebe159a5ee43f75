// The state tests were written against one derived "session view"; the store now keeps its parts
// as fields of the chain slice. This reads them back in that shape, the same object while none of
// the parts changed, so the tests still say what they said.
import type { Forest, ForestRow, Problem, RuleVerdict } from '../../src/core/index.ts';
import type { EditorState } from '../../src/state/index.ts';

export interface SessionView {
  forest: Forest;
  items: ForestRow[];
  itemsById: Record<string, ForestRow>;
  idByFile: ReadonlyMap<string, string>;
  verdictsById: Record<string, RuleVerdict | undefined>;
  problemsById: Record<string, Problem[]>;
  schemaStatusById: EditorState['schemaStatusById'];
  validatingCount: number;
  checkingCount: number;
  errorCount: number;
  warningCount: number;
}

let last: { parts: unknown[]; view: SessionView } | undefined;

export function selectSessionView(s: EditorState): SessionView {
  const parts = [
    s.forest,
    s.rows,
    s.rowsById,
    s.idByFile,
    s.verdicts,
    s.problemsById,
    s.schemaStatusById,
    s.counts,
  ];
  if (last && last.parts.every((p, i) => p === parts[i])) return last.view;
  const view: SessionView = {
    forest: s.forest,
    items: s.rows,
    itemsById: s.rowsById,
    idByFile: s.idByFile,
    verdictsById: s.verdicts,
    problemsById: s.problemsById,
    schemaStatusById: s.schemaStatusById,
    validatingCount: s.counts.validating,
    checkingCount: s.counts.checking,
    errorCount: s.counts.errors,
    warningCount: s.counts.warnings,
  };
  last = { parts, view };
  return view;
}
