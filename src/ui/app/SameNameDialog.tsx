import type { ReactNode } from 'react';
import { useState } from 'react';
import type { SameNameChoice, SameNameGroup } from '../../state/index.ts';
import { sameNameGroups, selectSameNames, useEditor } from '../../state/index.ts';
import { Name } from './Name.tsx';
import { useModalDialog } from './use-modal-dialog.ts';

type Named = { fileName: string; path?: string };
const pathOf = (f: Named) => f.path ?? f.fileName;

/**
 * Files offered under the name of an open file of the same VM, with other bytes (issue 21.4),
 * whether it was open before or came in with them: for each name the operator keeps every file
 * (each labelled by its folder), the open one, or one of the others. Nothing is opened, closed or
 * replaced before the choice; Escape keeps every file. Asked in the tab that edits the session.
 */
export function SameNameDialog() {
  const sameNames = useEditor(selectSameNames);
  const documents = useEditor((s) => s.documents);
  const editing = useEditor((s) => s.access === 'editing');
  const resolve = useEditor((s) => s.resolveSameNames);
  if (sameNames.length === 0 || !editing) return null;
  return (
    <Ask groups={sameNameGroups(sameNames)} openFile={(id) => documents[id]} onChoose={resolve} />
  );
}

function Ask({
  groups,
  openFile,
  onChoose,
}: {
  groups: SameNameGroup[];
  openFile: (id: string) => Named | undefined;
  onChoose: (choices: Record<string, SameNameChoice>) => void;
}) {
  const dialog = useModalDialog({ restoreFocus: true });
  const [choices, setChoices] = useState<Record<string, SameNameChoice>>({});
  const files = groups.reduce((n, g) => n + g.files.length, 0);
  return (
    <dialog
      ref={dialog}
      className="app-dialog"
      aria-labelledby="same-name-title"
      aria-describedby="same-name-text"
      onCancel={(e) => {
        // Escape keeps every file: nothing the operator brought is dropped without a choice.
        e.preventDefault();
        onChoose({});
      }}
    >
      <h2 id="same-name-title">
        {files > 1 ? `${files} files have` : 'A file has'} the name of another file
      </h2>
      <p id="same-name-text">
        Same name, same VM, other contents. For each name, keep every file (each labelled with its
        folder), or only one. Replacing a file open before is an edit of it: Undo brings it back.
      </p>
      {groups.map((group, i) => (
        <SameNameChoices
          key={group.existingId}
          index={i}
          group={group}
          open={openFile(group.existingId)}
          choice={choices[group.existingId] ?? 'all'}
          onChange={(choice) => setChoices({ ...choices, [group.existingId]: choice })}
          autoFocus={i === 0}
        />
      ))}
      <div className="actions">
        <button type="button" className="button primary" onClick={() => onChoose(choices)}>
          Apply
        </button>
        <button type="button" className="button" onClick={() => onChoose({})}>
          Keep all
        </button>
      </div>
    </dialog>
  );
}

/** One name's choice, as radio buttons: every file, or one of them. */
function SameNameChoices({
  index,
  group,
  open,
  choice,
  onChange,
  autoFocus,
}: {
  index: number;
  group: SameNameGroup;
  open: Named | undefined;
  choice: SameNameChoice;
  onChange: (choice: SameNameChoice) => void;
  autoFocus: boolean;
}) {
  const sameOpen = group.files[0]?.sameOpen === true;
  const name = `same-name-${index}`;
  const all = group.files.length + 1;
  const option = (value: SameNameChoice, label: ReactNode, focus = false) => (
    <label key={String(value)} className="radio">
      <input
        type="radio"
        name={name}
        checked={choice === value}
        autoFocus={focus}
        onChange={() => onChange(value)}
      />{' '}
      {label}
    </label>
  );
  const openPath = open ? pathOf(open) : '';
  return (
    <fieldset className="same-name">
      <legend>
        <Name text={openPath.slice(openPath.lastIndexOf('/') + 1)} />
      </legend>
      {option('all', all > 2 ? `Keep all ${all}` : 'Keep both', autoFocus)}
      {option(
        'open',
        <>
          Keep only <Name text={openPath} />
          {sameOpen ? '' : ' (open)'}
        </>,
      )}
      {group.files.map((f, j) =>
        option(
          j,
          <>
            {sameOpen ? 'Keep only' : 'Replace it with'} <Name text={pathOf(f.file)} />
          </>,
        ),
      )}
    </fieldset>
  );
}
