import { useState } from 'react';
import type { SessionAccess } from '../../state/index.ts';
import {
  exportUnsavedFiles,
  retrySaving,
  selectAccess,
  selectPersistence,
  selectReplayedEdits,
  selectSessionSaveError,
  selectStorageCleared,
  selectUnsaved,
  takeOverSession,
  useEditor,
  useEditorStore,
} from '../../state/index.ts';
import { download } from '../export/download.ts';
import { Name } from './Name.tsx';

/** File names shown in the banner itself; the rest are one click away. */
const NAMED = 5;

const READ_ONLY_TEXT: Record<Exclude<SessionAccess, 'editing'>, string> = {
  elsewhere:
    'Read-only: this session is open for editing in another tab. What that tab saves shows here.',
  'taken-over': 'Read-only: another tab took over this session. What it saves shows here.',
  vacant: 'Read-only: the tab that edited this session has closed. Take it over to edit here.',
  'taking-over': 'Taking over: the other tab saves its last changes first…',
};

/**
 * What the operator must know about the session before anything else: that this tab only shows
 * it (another tab edits it), which files this browser refused to store, and what happened to the
 * storage under this tab.
 */
export function SessionBanners() {
  return (
    <div className="session-banners">
      <ReadOnlyBanner />
      <UnsavedBanner />
      <StorageBanner />
    </div>
  );
}

/**
 * The browser's storage was cleared under this tab (site data cleared, eviction, another tab
 * deleting the database) and the session saved again from this tab; or edits typed before a tab
 * closed, never stored then, were written into their files at load.
 */
function StorageBanner() {
  const store = useEditorStore();
  const cleared = useEditor(selectStorageCleared);
  const persistence = useEditor(selectPersistence);
  const replayed = useEditor(selectReplayedEdits);
  if (cleared === null && replayed.length === 0) return null;
  return (
    <section className="session-banner storage" aria-label="Storage" role="alert">
      {cleared !== null && (
        <p>
          <strong>
            {cleared === 'saved'
              ? 'This browser’s storage was cleared; the session was saved again.'
              : 'This browser’s storage was cleared; saving the session again…'}
          </strong>
          {persistence === 'refused' &&
            ' The browser did not grant this page lasting storage and may clear it again: export the files you want to keep.'}
        </p>
      )}
      {replayed.length > 0 && (
        <p>
          Edits typed just before this session’s tab closed were not saved then; they were written
          again into{' '}
          {replayed.map((name, i) => (
            <span key={name}>
              {i > 0 && ', '}
              <Name text={name} />
            </span>
          ))}
          .
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="button"
          onClick={() => store.getState().dismissStorageNotices()}
        >
          Dismiss
        </button>
      </div>
    </section>
  );
}

/** In a tab that does not edit the session: why, and the way to edit here. */
function ReadOnlyBanner() {
  const store = useEditorStore();
  const access = useEditor(selectAccess);
  if (access === 'editing') return null;
  return (
    <section className="session-banner read-only" aria-label="Session">
      <p>{READ_ONLY_TEXT[access]}</p>
      <button
        type="button"
        className="button primary"
        disabled={access === 'taking-over'}
        title="Edit the session in this tab; the other tab saves first and becomes read-only"
        onClick={() => void takeOverSession(store)}
      >
        Take over
      </button>
    </section>
  );
}

/** The files this browser refused to store, by name, with Export and another try. */
function UnsavedBanner() {
  const store = useEditorStore();
  const unsaved = useEditor(selectUnsaved);
  const sessionError = useEditor(selectSessionSaveError);
  const editing = useEditor((s) => s.access === 'editing');
  const [status, setStatus] = useState('');
  const files = Object.values(unsaved);
  if (files.length === 0 && sessionError === null) return null;
  const reasons = [...new Set(files.map((f) => f.reason))];
  const exportFiles = () => {
    exportUnsavedFiles(store).then(
      (exported) => {
        if (!exported) return;
        download(exported.fileName, exported.data as BlobPart, exported.type);
        setStatus(`Exported ${exported.fileName}`);
      },
      (e: Error) => setStatus(`Export failed: ${e.message}`),
    );
  };
  return (
    <div className="session-banner unsaved" role="alert">
      {files.length > 0 && (
        <p>
          <strong>
            {files.length === 1
              ? '1 file is not saved in this browser'
              : `${files.length.toLocaleString('en')} files are not saved in this browser`}
          </strong>{' '}
          ({reasons.join('; ')}):{' '}
          {files.slice(0, NAMED).map((f, i) => (
            <span key={f.fileName}>
              {i > 0 && ', '}
              <Name text={f.fileName} />
            </span>
          ))}
          {files.length > NAMED && ` and ${(files.length - NAMED).toLocaleString('en')} more`}.
          Their edits are lost when this tab closes: export them to keep them.
        </p>
      )}
      {files.length > NAMED && (
        <details>
          <summary>Every file not saved</summary>
          <ul>
            {files.map((f) => (
              <li key={f.fileName}>
                <Name text={f.fileName} />
              </li>
            ))}
          </ul>
        </details>
      )}
      {sessionError !== null && (
        <p>
          <strong>The list of open files is not saved in this browser</strong> ({sessionError}):
          files opened or closed since the last save may not be as you left them after a reload.
        </p>
      )}
      <div className="actions">
        {files.length > 0 && (
          <button type="button" className="button primary" onClick={exportFiles}>
            {files.length === 1
              ? `Export ${files[0]?.fileName ?? 'it'}`
              : `Export these ${files.length.toLocaleString('en')} files (zip)`}
          </button>
        )}
        {editing && (
          <button type="button" className="button" onClick={() => void retrySaving(store)}>
            Try again
          </button>
        )}
        <span role="status">{status}</span>
      </div>
    </div>
  );
}
