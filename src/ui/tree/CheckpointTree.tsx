import type { KeyboardEvent } from 'react';
import { useMemo, useRef, useState } from 'react';
import type { CheckpointTreeItem } from '../../state/index.ts';
import { isUnexported, selectSelectedId, selectSessionView, useEditor } from '../../state/index.ts';
import { visibleItems } from './visible-items.ts';

/**
 * The loaded checkpoints as a WAI-ARIA tree: parents above their children, one tab stop, arrows to
 * move, Left/Right to fold. Rows are flat with aria-level so a virtualised list can take over.
 */
export function CheckpointTree() {
  const view = useEditor(selectSessionView);
  const selectedId = useEditor(selectSelectedId);
  const selectDocument = useEditor((s) => s.selectDocument);
  const documents = useEditor((s) => s.documents);
  const savedTexts = useEditor((s) => s.savedTexts);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo(
    () => visibleItems(view.items, view.itemsById, collapsed),
    [view, collapsed],
  );
  const refs = useRef(new Map<string, HTMLDivElement>());

  if (view.items.length === 0) {
    return <p className="empty-state">No checkpoints open.</p>;
  }

  const focus = (id: string | undefined) => {
    if (id === undefined) return;
    selectDocument(id);
    refs.current.get(id)?.focus();
  };
  const setFolded = (id: string, folded: boolean) => {
    const next = new Set(collapsed);
    if (folded) next.add(id);
    else next.delete(id);
    setCollapsed(next);
  };

  const onKeyDown = (event: KeyboardEvent, item: CheckpointTreeItem, index: number) => {
    const expandable = item.childIds.length > 0;
    switch (event.key) {
      case 'ArrowDown':
        focus(rows[index + 1]?.id);
        break;
      case 'ArrowUp':
        focus(rows[index - 1]?.id);
        break;
      case 'Home':
        focus(rows[0]?.id);
        break;
      case 'End':
        focus(rows[rows.length - 1]?.id);
        break;
      case 'ArrowRight':
        if (expandable && collapsed.has(item.id)) setFolded(item.id, false);
        else if (expandable) focus(item.childIds[0]);
        break;
      case 'ArrowLeft':
        if (expandable && !collapsed.has(item.id)) setFolded(item.id, true);
        else focus(item.parentId);
        break;
      case 'Enter':
      case ' ':
        selectDocument(item.id);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  // The selected row holds the tab stop; if it is folded away, the first row does.
  const tabStop = rows.some((r) => r.id === selectedId) ? selectedId : rows[0]?.id;

  return (
    <div role="tree" aria-label="Checkpoints" className="tree">
      {rows.map((item, index) => {
        const doc = documents[item.id];
        const dirty = doc !== undefined && isUnexported(doc, savedTexts);
        const siblings = item.parentId
          ? (view.itemsById[item.parentId]?.childIds ?? [])
          : rows.filter((r) => r.level === 1).map((r) => r.id);
        const expandable = item.childIds.length > 0;
        const describedBy = `tree-desc-${item.id}`;
        return (
          <div
            key={item.id}
            ref={(el) => {
              if (el) refs.current.set(item.id, el);
              else refs.current.delete(item.id);
            }}
            role="treeitem"
            aria-label={item.label}
            aria-describedby={describedBy}
            aria-level={item.level}
            aria-setsize={siblings.length}
            aria-posinset={siblings.indexOf(item.id) + 1}
            aria-selected={item.id === selectedId}
            aria-expanded={expandable ? !collapsed.has(item.id) : undefined}
            tabIndex={item.id === tabStop ? 0 : -1}
            className="tree-item"
            style={{ paddingLeft: 6 + Math.min(item.level - 1, 16) * 12 }}
            title={item.fileName}
            onClick={() => focus(item.id)}
            onKeyDown={(e) => onKeyDown(e, item, index)}
          >
            <span
              className="twisty"
              aria-hidden="true"
              onClick={(e) => {
                if (!expandable) return;
                e.stopPropagation();
                setFolded(item.id, !collapsed.has(item.id));
              }}
            >
              {expandable ? (collapsed.has(item.id) ? '▶' : '▼') : ''}
            </span>
            <span className="label">{item.label}</span>
            {dirty && (
              <span className="dirty" aria-hidden="true" title="Unexported changes">
                ●
              </span>
            )}
            {item.errors > 0 && (
              <span className="badge error" aria-hidden="true">
                {item.errors}
              </span>
            )}
            {item.warnings > 0 && (
              <span className="badge warning" aria-hidden="true">
                {item.warnings}
              </span>
            )}
            <span id={describedBy} className="visually-hidden">
              {describe(item, dirty)}
            </span>
          </div>
        );
      })}
    </div>
  );
}

function describe(item: CheckpointTreeItem, dirty: boolean): string {
  const parts = [item.fileName];
  if (item.errors) parts.push(`${item.errors} ${item.errors === 1 ? 'error' : 'errors'}`);
  if (item.warnings) parts.push(`${item.warnings} ${item.warnings === 1 ? 'warning' : 'warnings'}`);
  if (dirty) parts.push('unexported changes');
  return parts.join(', ');
}
