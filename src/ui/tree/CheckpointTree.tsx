import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { VmChain } from '../../state/index.ts';
import {
  isUnexported,
  selectMainView,
  selectFileCounts,
  selectProblemsById,
  selectSelectedId,
  selectTreeItems,
  selectVerdicts,
  selectVmChanges,
  selectVms,
  useEditor,
  vmCounts,
  VM_ROW,
  useEditorStore,
} from '../../state/index.ts';
import { timeZoneName, useLocalTime } from '../app/times.ts';
import { COMPARE_SHORTCUT, isCompareKey } from '../compare/CompareButton.tsx';
import type { TreeFilter, TreeRow } from './tree-rows.ts';
import { treeRows } from './tree-rows.ts';
import type { RowActions, VmRowFacts } from './TreeItem.tsx';
import { TreeItem } from './TreeItem.tsx';
import { TreeToolbar } from './TreeToolbar.tsx';
import { vmReadiness } from '../vms/vm-readiness.ts';
import { useTreeKeys } from './use-tree-keys.ts';
import { useTreeVirtualizer } from './use-tree-virtualizer.ts';
import './tree.css';

/** Why a VM's files are one VM, as its row's tooltip says it. */
function vmReason(vm: VmChain): string {
  if (vm.uuid !== undefined) return `VM ${vm.label}: its checkpoints carry uuid ${vm.uuid}`;
  if (vm.key.startsWith('unknown:'))
    return `Files without <domain> in a folder of several VMs (${vm.folder ?? ''}): their VM cannot be told`;
  if (vm.folder !== undefined)
    return `Checkpoints without <domain>, grouped by their folder ${vm.folder || '(top)'}`;
  return `VM ${vm.label}`;
}

/**
 * The loaded checkpoints as a WAI-ARIA tree over a virtualised list: only the rows in view (and
 * the focused one) are in the page, each with its level, place among its siblings and whether it
 * is open. One tab stop; arrows move and fold, Home/End, and typing a name goes to it. Selection
 * follows focus (the editor, the graph and the bitmaps show the focused checkpoint); Enter, a
 * double click, or a click from the Chain view opens it in the editor.
 */
export function CheckpointTree() {
  // The rows made again in a render of their own, not in the task that grew the tree (10,000 rows).
  const items = useDeferredValue(useEditor(selectTreeItems));
  const vms = useEditor(selectVms);
  const diskStates = useEditor((s) => s.diskStates);
  const backupStates = useEditor((s) => s.backupStates);
  const vmRows = useMemo(
    () =>
      new Map<string, VmRowFacts>(
        vms.map((vm) => [
          VM_ROW + vm.key,
          {
            checkpoints: vm.ids.length,
            ...vmCounts(vm, { diskStates, backupStates }, vm.key),
            reason: vmReason(vm),
            readiness: vmReadiness(diskStates[vm.key]),
          },
        ]),
      ),
    [vms, diskStates, backupStates],
  );
  const verdicts = useEditor(selectVerdicts);
  const problemsById = useEditor(selectProblemsById);
  // Counted as the editor's header and the Validation panel count them.
  const fileCounts = (id: string) =>
    selectFileCounts({ documents, problemsById, diskStates, backupStates }, id);
  const store = useEditorStore();
  const selectedId = useEditor(selectSelectedId);
  const selectDocument = useEditor((s) => s.selectDocument);
  const openInEditor = useEditor((s) => s.openInEditor);
  const mainView = useEditor(selectMainView);
  const documents = useEditor((s) => s.documents);
  const savedTexts = useEditor((s) => s.savedTexts);
  const vmChanges = useEditor(selectVmChanges);
  const openCompare = useEditor((s) => s.openCompare);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const [filter, setFilter] = useState<TreeFilter>('all');
  const [query, setQuery] = useState('');
  const shownQuery = useDeferredValue(query);
  const rows = useMemo(
    () => treeRows(items, collapsed, filter, shownQuery),
    [items, collapsed, filter, shownQuery],
  );
  const indexById = useMemo(() => new Map(rows.map((r, i) => [r.item.id, i])), [rows]);
  // The selected row holds the tab stop; if it is folded away or filtered out, the first row does.
  const activeIndex = selectedId !== null ? (indexById.get(selectedId) ?? 0) : 0;
  const activeId = rows[activeIndex]?.item.id;

  const scrollRef = useRef<HTMLDivElement>(null);
  /** The row a key moved to: it takes the focus once it is the active row and in the page. */
  const focusPending = useRef<string | undefined>(undefined);
  const virtualizer = useTreeVirtualizer(rows, scrollRef, activeIndex, selectedId, indexById);

  // After a key moved the selection, the new row (always rendered) takes the focus. A render that
  // comes first (another update, the selection not yet there) leaves it pending; a selection made
  // elsewhere meanwhile drops it.
  useEffect(() => {
    const pending = focusPending.current;
    if (pending === undefined) return;
    if (activeId !== pending) {
      if (store.getState().selectedId !== pending) focusPending.current = undefined;
      return;
    }
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-id="${CSS.escape(pending)}"]`);
    if (!row) return;
    focusPending.current = undefined;
    row.focus({ preventScroll: true });
  });

  const moveTo = (index: number, by?: 'key') => {
    const row = rows[index];
    if (!row) return;
    if (row.item.id === selectedId) {
      scrollRef.current
        ?.querySelector<HTMLElement>(`[data-id="${CSS.escape(row.item.id)}"]`)
        ?.focus({ preventScroll: true });
      return;
    }
    // The new row takes the focus once rendered; the virtualiser scrolls it into view.
    focusPending.current = row.item.id;
    selectDocument(row.item.id, by);
  };
  const setFolded = (id: string, folded: boolean) => {
    const next = new Set(collapsed);
    if (folded) next.add(id);
    else next.delete(id);
    setCollapsed(next);
  };

  // Rows are memoised: their handlers stay the same functions, reading the latest state.
  const latest = useRef({ moveTo, setFolded, collapsed, rows, mainView, openInEditor });
  latest.current = { moveTo, setFolded, collapsed, rows, mainView, openInEditor };
  const actions = useMemo<RowActions>(
    () => ({
      click: (index) => {
        const { rows, mainView, openInEditor } = latest.current;
        latest.current.moveTo(index);
        // The graph and the bitmaps follow the selection; from the chain, a click opens the file.
        const id = rows[index]?.item.id;
        if (mainView === 'chain' && id !== undefined) openInEditor(id);
      },
      open: (index) => {
        const id = latest.current.rows[index]?.item.id;
        if (id !== undefined) latest.current.openInEditor(id);
      },
      toggle: (id) => latest.current.setFolded(id, !latest.current.collapsed.has(id)),
    }),
    [],
  );

  const onKeyDown = useTreeKeys(rows, activeIndex, collapsed, indexById, {
    moveTo: (index) => moveTo(index, 'key'),
    setFolded,
    select: (id) => selectDocument(id, 'key'),
    open: openInEditor,
  });

  const total = items.length - (vms.length > 1 ? vms.length : 0);
  const localTime = useLocalTime();
  const filtered = filter !== 'all' || shownQuery.trim() !== '';

  return (
    <>
      <TreeToolbar
        query={query}
        setQuery={setQuery}
        filter={filter}
        setFilter={setFilter}
        shown={filtered ? rows.length : undefined}
        total={total}
      />
      {total > 0 && <TreeHead />}
      <div
        ref={scrollRef}
        role="tree"
        aria-label="Checkpoints"
        className="tree"
        aria-keyshortcuts={COMPARE_SHORTCUT}
        onKeyDown={(e) => {
          if (!isCompareKey(e)) return onKeyDown(e);
          e.preventDefault();
          if (activeId !== undefined) openCompare(activeId);
        }}
      >
        <div role="none" className="tree-sizer" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const row = rows[v.index] as TreeRow;
            const doc = documents[row.item.id];
            const counts = fileCounts(row.item.id);
            return (
              <TreeItem
                key={v.key}
                row={row}
                index={v.index}
                top={v.start}
                selected={row.item.id === selectedId}
                tabStop={v.index === activeIndex}
                folded={collapsed.has(row.item.id)}
                dirty={doc !== undefined && isUnexported(doc, savedTexts)}
                verdict={verdicts[row.item.id]}
                fileErrors={counts.errors}
                fileWarnings={counts.warnings}
                vmChange={vmChanges[row.item.id]}
                vm={vmRows.get(row.item.id)}
                localTime={localTime}
                actions={actions}
              />
            );
          })}
        </div>
      </div>
      {total === 0 && <p className="empty-state">No checkpoints open.</p>}
      {total > 0 && rows.length === 0 && <p className="empty-state">No checkpoint matches.</p>}
    </>
  );
}

/** The columns' names, and the choice of the local time beside UTC (kept with the session). */
function TreeHead() {
  const localTime = useLocalTime();
  const setLocalTime = useEditor((s) => s.setLocalTime);
  const zone = timeZoneName();
  return (
    <div className="tree-head">
      <span aria-hidden="true">Checkpoint</span>
      <span className="time-head">
        <button
          type="button"
          className="local-toggle"
          aria-pressed={localTime}
          title={`Show the local time (${zone}) beside UTC, as virsh prints the host's`}
          onClick={() => setLocalTime(!localTime)}
        >
          Local time
        </button>
        <span className="time-label" aria-hidden="true">
          Created, UTC{localTime ? ` · ${zone}` : ''}
        </span>
      </span>
    </div>
  );
}
