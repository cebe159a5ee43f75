import { lazy, Suspense, useState } from 'react';
import { ExportControls, FormatChangesCard, useFormatChanges } from '../export/ExportControls.tsx';
import { CompareButton } from '../compare/CompareButton.tsx';
import { CheckpointForm } from './CheckpointForm.tsx';
import { DisksTable } from './DisksTable.tsx';
import { DomainSummary } from './DomainSummary.tsx';
import { Verdicts } from './Verdicts.tsx';
import { useSelectedDocument } from './use-document.ts';
import { useEditor } from '../../state/index.ts';
import {
  FoldedSource,
  LargeFileNote,
  ReadingLargeFile,
  useDocumentAccess,
} from '../app/LargeFile.tsx';
import { Message } from '../app/Message.tsx';
import { Name } from '../app/Name.tsx';
import { ExportPreview } from '../source/ExportPreview.tsx';
import './editor.css';

// CodeMirror is the heaviest part of the page: it loads after the first paint.
const XmlSource = lazy(() => import('../source/XmlSource.tsx'));

/** The selected checkpoint: its header with export, the form, and the XML source side by side. */
export function DocumentView() {
  const selected = useSelectedDocument();
  const closeDocument = useEditor((s) => s.closeDocument);
  if (!selected) return <ReadingLargeFile />;
  const { doc, check, problems } = selected;
  return <SelectedDocument doc={doc} check={check} problems={problems} onClose={closeDocument} />;
}

function SelectedDocument({
  doc,
  check,
  problems,
  onClose: closeDocument,
}: NonNullable<ReturnType<typeof useSelectedDocument>> & { onClose: (id: string) => void }) {
  const cp = check.checkpoint;
  const access = useDocumentAccess(doc.id);
  // A large file's list comes from the worker that read it: the page never parses it.
  const changes = useFormatChanges(doc, cp, check.formatChanges);
  const [preview, setPreview] = useState(false);
  return (
    <>
      <div className="document-header">
        <h2 title={doc.fileName}>
          <bdi>{cp?.name ?? doc.fileName}</bdi>
        </h2>
        {cp?.name !== undefined && doc.fileName !== `${cp.name}.xml` && (
          <Name text={doc.fileName} className="file-name" />
        )}
        <Verdicts doc={doc} check={check} />
        <button
          type="button"
          className="button small"
          aria-label={`Close ${doc.fileName}`}
          title="Close this file (Undo brings it back)"
          disabled={access.sessionReadOnly}
          onClick={() => closeDocument(doc.id)}
        >
          Close
        </button>
        <CompareButton id={doc.id} />
        <ExportControls
          key={doc.id}
          doc={doc}
          checkpoint={cp}
          problems={problems}
          changes={changes}
        />
      </div>
      <div className="document-body">
        {/* Read-only: another tab edits the session, or the file is large (its note says so). */}
        <fieldset className="form-pane" disabled={access.readOnly} aria-label="Checkpoint form">
          <LargeFileNote doc={doc} />
          {cp ? (
            <>
              <FormatChangesCard changes={changes} />
              <CheckpointForm id={doc.id} checkpoint={cp} problems={problems} />
              <DisksTable id={doc.id} check={check} problems={problems} />
              <DomainSummary domain={cp.domain} disks={check.domainDisks} />
            </>
          ) : (
            <div className="banner" role="alert">
              <strong>
                <Name text={doc.fileName} />
              </strong>{' '}
              cannot be read as a checkpoint:{' '}
              {problems[0] ? (
                <>
                  {problems[0].line !== undefined && `line ${problems[0].line}: `}
                  <Message text={problems[0].message} />
                </>
              ) : (
                'unknown error'
              )}
              . Fix it in the XML source; the form comes back as soon as it reads.
            </div>
          )}
        </fieldset>
        <section className="source-pane" aria-labelledby="source-title">
          <div className="panel-title">
            <h2 id="source-title">XML source</h2>
            <button
              type="button"
              className="button small"
              aria-pressed={preview}
              title="Show what Export writes of this file, with the export options as they are"
              onClick={() => setPreview(!preview)}
            >
              Preview export
            </button>
          </div>
          {preview ? (
            <ExportPreview doc={doc} checkpoint={cp} problems={problems} />
          ) : (
            <div className="source-editor">
              {access.sourceShown ? (
                <Suspense fallback={<p className="pane-note">Loading the XML source view…</p>}>
                  <XmlSource
                    key={doc.id}
                    id={doc.id}
                    text={doc.text}
                    problems={problems}
                    readOnly={access.readOnly}
                  />
                </Suspense>
              ) : (
                <FoldedSource doc={doc} />
              )}
            </div>
          )}
        </section>
      </div>
    </>
  );
}
