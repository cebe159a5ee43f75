import type { CheckpointDocument, DocumentCheck } from '../../state/index.ts';
import {
  checkDocument,
  selectSelectedDocument,
  selectSessionView,
  useEditor,
} from '../../state/index.ts';
import type { Problem } from '../../core/index.ts';

const NO_PROBLEMS: Problem[] = [];

/** The selected document with core's verdict on it and all its problems. */
export function useSelectedDocument():
  { doc: CheckpointDocument; check: DocumentCheck; problems: Problem[] } | undefined {
  const doc = useEditor(selectSelectedDocument);
  const profile = useEditor((s) => s.profile);
  const problems = useEditor((s) =>
    doc ? (selectSessionView(s).problemsById[doc.id] ?? NO_PROBLEMS) : NO_PROBLEMS,
  );
  if (!doc) return undefined;
  return { doc, check: checkDocument(doc, profile), problems };
}
