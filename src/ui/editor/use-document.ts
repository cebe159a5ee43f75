import { useEffect, useMemo, useRef, useState } from 'react';
import type { CheckpointDocument, DocumentCheck } from '../../state/index.ts';
import {
  checkDocument,
  isOffPage,
  pageCheckOf,
  selectOffPageCheck,
  selectSelectedDocument,
  selectSelectedId,
  useEditor,
} from '../../state/index.ts';
import type { Problem } from '../../core/index.ts';

const NO_PROBLEMS: Problem[] = [];

/** A selection moved by keys this soon after the last waits until the keys stop. */
const SETTLE_MS = 150;

/**
 * The selection, except while keys keep moving it through the tree: then the last one, once it
 * has stood for `quietMs`. A click shows at once, in the render the click makes: were it shown a
 * render later, keys typed into the form in between (a busy machine) would go to the checkpoint
 * shown before, while the tree already marks the one clicked. Arrowing down a long chain does not
 * build the editor for every row it passes.
 */
function useSettled<T>(value: T, byKey: boolean, quietMs: number): T {
  const [shown, setShown] = useState(value);
  const changedAt = useRef(0);
  useEffect(() => {
    const now = performance.now();
    const quiet = now - changedAt.current > quietMs || !byKey;
    changedAt.current = now;
    if (quiet) {
      setShown(value);
      return;
    }
    const timer = setTimeout(() => setShown(value), quietMs);
    return () => clearTimeout(timer);
  }, [value, byKey, quietMs]);
  return byKey ? shown : value;
}

/** The selected document with core's verdict on it and all its problems. */
export function useSelectedDocument():
  { doc: CheckpointDocument; check: DocumentCheck; problems: Problem[] } | undefined {
  const selectedId = useSettled(
    useEditor(selectSelectedId),
    useEditor((s) => s.selectedByKey),
    SETTLE_MS,
  );
  const doc = useEditor((s) =>
    selectedId !== null && s.documents[selectedId]
      ? s.documents[selectedId]
      : selectSelectedDocument(s),
  );
  const profile = useEditor((s) => s.profile);
  const problems = useEditor((s) => (doc ? (s.problemsById[doc.id] ?? NO_PROBLEMS) : NO_PROBLEMS));
  // The check the chain made of this text on the page, if it did; else one of its own.
  const checked = useEditor((s) => (doc ? pageCheckOf(s.chainMemo, doc, profile) : undefined));
  // A large file is read in a worker: undefined until it answers.
  const offPage = useEditor((s) =>
    doc && isOffPage(doc) ? selectOffPageCheck(s, doc) : undefined,
  );
  const check = useMemo(
    () => checked ?? offPage ?? (doc && !isOffPage(doc) ? checkDocument(doc, profile) : undefined),
    [checked, offPage, doc, profile],
  );
  if (!doc || !check) return undefined;
  return { doc, check, problems };
}
