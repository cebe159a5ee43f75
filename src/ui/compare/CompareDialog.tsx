import { useModalDialog } from '../app/use-modal-dialog.ts';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { describeGap } from '../../core/index.ts';
import type { Comparing, CompareWith } from '../../state/index.ts';
import {
  nameLabels,
  selectComparing,
  selectDefinitions,
  selectRows,
  useEditor,
} from '../../state/index.ts';
import { Name } from '../app/Name.tsx';
import type { SegmentedOption } from '../app/Segmented.tsx';
import { Segmented } from '../app/Segmented.tsx';
import { plural } from '../tree/checkpoint-facts.ts';
import { DifferencesTable } from './DifferencesTable.tsx';
import type { ComparisonView } from './use-comparison.ts';
import { useComparison } from './use-comparison.ts';
import './compare.css';

type Layout = 'libvirt' | 'written';

const LAYOUTS: SegmentedOption<Layout>[] = [
  {
    value: 'libvirt',
    label: "libvirt's format",
    title: 'Both as virsh checkpoint-dumpxml prints them: only what libvirt keeps differs',
  },
  { value: 'written', label: 'As written', title: 'Both files as they are, byte for byte' },
];

// The merge view (CodeMirror's, with its diff) loads when a comparison is first shown.
const CompareTexts = lazy(() => import('./CompareTexts.tsx'));

/** A name for an <option>, where no element can isolate it: bidi controls kept inside FSI … PDI. */
const isolated = (name: string) =>
  /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(name) ? `\u2068${name}\u2069` : name;

const valueOf = (w: CompareWith | null) =>
  w === null ? '' : w.kind === 'checkpoint' ? `checkpoint:${w.id}` : `definition:${w.fileName}`;

function withOf(value: string): CompareWith | null {
  if (value.startsWith('checkpoint:')) return { kind: 'checkpoint', id: value.slice(11) };
  if (value.startsWith('definition:')) return { kind: 'definition', fileName: value.slice(11) };
  return null;
}

/** The Compare dialog, while a comparison is open. */
export function CompareDialog() {
  const comparing = useEditor(selectComparing);
  if (!comparing) return null;
  return <CompareDialogOpen comparing={comparing} />;
}

function CompareDialogOpen({ comparing }: { comparing: Comparing }) {
  const dialog = useModalDialog({ restoreFocus: true });
  const closeCompare = useEditor((s) => s.closeCompare);
  const view = useComparison(comparing);
  // The checkpoint was closed (or undone away): nothing left to compare.
  useEffect(() => {
    if (!view) closeCompare();
  }, [view, closeCompare]);
  return (
    <dialog
      ref={dialog}
      className="compare-dialog"
      aria-labelledby="compare-title"
      onCancel={(e) => {
        e.preventDefault();
        closeCompare();
      }}
    >
      {view && <CompareContent comparing={comparing} view={view} onClose={closeCompare} />}
    </dialog>
  );
}

function CompareContent({
  comparing,
  view,
  onClose,
}: {
  comparing: Comparing;
  view: ComparisonView;
  onClose: () => void;
}) {
  const rows = useEditor(selectRows);
  const definitions = useEditor(selectDefinitions);
  const setCompareWith = useEditor((s) => s.setCompareWith);
  const [layout, setLayout] = useState<Layout>('libvirt');
  const [showAll, setShowAll] = useState(false);
  const { a, b, comparison } = view;
  // The checkpoint it started from, wherever its age puts it.
  const started = view.fromOther && b ? b : a;
  // A name two files define (both kept) is told apart by each file's folder.
  const documents = useEditor((s) => s.documents);
  const label = useMemo(() => nameLabels(documents), [documents]);
  const twice = useMemo(() => {
    const seen = new Set<string>();
    const twice = new Set<string>();
    for (const r of rows) (seen.has(r.label) ? twice : seen).add(r.label);
    return twice;
  }, [rows]);
  // Ten thousand options are made once, not at every render.
  const checkpointOptions = useMemo(
    () =>
      rows
        .filter((r) => r.id !== comparing.id)
        .map((r) => (
          <option key={r.id} value={`checkpoint:${r.id}`}>
            {isolated(twice.has(r.label) ? `${r.label} (${label(r.id)})` : r.label)}
          </option>
        )),
    [rows, comparing.id, twice, label],
  );
  const textOf = (side: NonNullable<typeof b>) =>
    layout === 'libvirt' && side.formatted !== undefined ? side.formatted : side.written;
  const count = comparison?.differences.length;
  // What it was compared with may have been closed since: then nothing is chosen.
  const chosen = b === null ? '' : valueOf(comparing.with);

  return (
    <>
      <div className="compare-head">
        <h2 id="compare-title">Compare</h2>
        <Name text={started.label} className="compare-side" />
        <label className="field-inline">
          Compare with
          <select value={chosen} autoFocus onChange={(e) => setCompareWith(withOf(e.target.value))}>
            {chosen === '' && <option value="">Choose…</option>}
            <optgroup label="Checkpoints">{checkpointOptions}</optgroup>
            {definitions.length > 0 && (
              <optgroup label="VM definitions">
                {definitions.map((d) => (
                  <option key={d.fileName} value={`definition:${d.fileName}`} title={d.fileName}>
                    {isolated(d.label)}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </label>
        <button type="button" className="button small compare-close" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="compare-summary">
        <p role="status">
          {b === null
            ? 'Choose what to compare it with.'
            : a.unreadable !== undefined || b.unreadable !== undefined
              ? `Not compared: ${a.unreadable !== undefined ? a.label : b.label} cannot be read (${a.unreadable ?? b.unreadable}). The texts are shown as written.`
              : count === 0
                ? `Equivalent after libvirt's formatting${view.of === 'domains' ? ': the same VM definition' : ''}.`
                : `${plural(count ?? 0, 'difference')}${view.of === 'domains' ? " between the checkpoint's <domain> and the VM definition" : ''}.`}
        </p>
        {comparison && (
          <p className="compare-rules">
            As libvirt reads them: layout, comments, quotes, attribute order, a live domain&apos;s
            id and console passwords do not count, nor bitmaps named after their own checkpoint.
          </p>
        )}
        {b && comparison?.gap !== undefined && (
          <p>
            <bdi>{b.label}</bdi> was created {describeGap(comparison.gap)} than <bdi>{a.label}</bdi>
            .
          </p>
        )}
        {b &&
          comparison?.newBitmaps.map((disk) => (
            <BitmapNote key={`new ${disk}`} disk={disk} has={b.label} since={a.label} />
          ))}
        {b &&
          comparison?.lostBitmaps.map((disk) => (
            <BitmapNote key={`lost ${disk}`} disk={disk} has={a.label} since={b.label} />
          ))}
      </div>
      {b && (
        <div className="compare-body">
          {comparison && comparison.differences.length > 0 && (
            // Focusable, so that a keyboard can scroll a long list.
            <div
              className="differences-pane"
              tabIndex={0}
              role="group"
              aria-label="Differences, scrollable"
            >
              <DifferencesTable
                differences={comparison.differences}
                labelA={a.label}
                labelB={b.label}
              />
            </div>
          )}
          <section className="texts-pane" aria-labelledby="compare-texts-title">
            <div className="texts-bar">
              <h3 id="compare-texts-title">XML side by side</h3>
              <Segmented
                legend="Text"
                name="compare-layout"
                options={LAYOUTS}
                value={layout}
                onChange={setLayout}
              />
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={showAll}
                  onChange={(e) => setShowAll(e.target.checked)}
                />
                Show unchanged lines
              </label>
            </div>
            <div className="texts-labels" aria-hidden="true">
              <Name text={a.label} />
              <Name text={b.label} />
            </div>
            <Suspense fallback={<p className="pane-note">Loading the side-by-side view…</p>}>
              <CompareTexts
                a={textOf(a)}
                b={textOf(b)}
                labelA={a.label}
                labelB={b.label}
                showAll={showAll}
              />
            </Suspense>
          </section>
        </div>
      )}
    </>
  );
}

/** What a bitmap on one side and none on the other means for the next backup. */
function BitmapNote({ disk, has, since }: { disk: string; has: string; since: string }) {
  return (
    <p className="bitmap-note">
      <code>{disk}</code> has a bitmap in <bdi>{has}</bdi> and none in <bdi>{since}</bdi>: an
      incremental backup of <code>{disk}</code> since <bdi>{since}</bdi> is impossible.
    </p>
  );
}
