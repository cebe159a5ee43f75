import type { ChangeEvent } from 'react';
import { useState } from 'react';
import { openExample, openFiles, useEditorStore } from '../../state/index.ts';
import { PasteDialog } from './PasteDialog.tsx';
import './open.css';

/** A picker's files, then clear it so the same files can be picked again. */
function takeFiles(event: ChangeEvent<HTMLInputElement>): File[] {
  const files = Array.from(event.target.files ?? []);
  event.target.value = '';
  return files;
}

// React passes this non-standard attribute through; the DOM types do not know it.
const folderPicker = { webkitdirectory: '', directory: '' };

/** The ways to open checkpoints: files, a folder, pasted XML, the examples. Drops are the App's. */
export function OpenControls() {
  const store = useEditorStore();
  const [pasting, setPasting] = useState(false);
  return (
    <div className="group">
      <label className="button primary file-button">
        Open files
        <input
          type="file"
          multiple
          accept=".xml,application/xml,text/xml,.json,.tar,.tgz,.gz,.zip"
          aria-label="Open checkpoint files"
          onChange={(e) => void openFiles(store, takeFiles(e))}
        />
      </label>
      <label className="button file-button">
        Open folder
        <input
          type="file"
          multiple
          {...folderPicker}
          aria-label="Open folder"
          onChange={(e) => void openFiles(store, takeFiles(e))}
        />
      </label>
      <button type="button" className="button" onClick={() => setPasting(true)}>
        Paste XML
      </button>
      <ExamplesMenu />
      {pasting && <PasteDialog onClose={() => setPasting(false)} />}
    </div>
  );
}

function ExamplesMenu() {
  const store = useEditorStore();
  return (
    <select
      className="examples"
      aria-label="Open an example"
      value=""
      onChange={(e) => {
        const value = e.target.value;
        if (value === 'chain' || value === 'errors') openExample(store, value);
      }}
    >
      <option value="" disabled>
        Examples
      </option>
      <option value="chain">A valid chain of 3 checkpoints</option>
      <option value="errors">A checkpoint with errors</option>
    </select>
  );
}
