import { useDeferredValue, useMemo, useState } from 'react';
import type { ExplainedProblem, Problem, ProblemGroup } from '../../core/index.ts';
import { explainProblems, groupProblems } from '../../core/index.ts';
import {
  nameLabels,
  selectBackupState,
  selectCounts,
  selectCurrentVm,
  selectDiskState,
  selectPanelCounts,
  selectProblemsById,
  selectRows,
  selectSchemaSet,
  selectSelectedId,
  selectVms,
  useEditor,
  withTheirs,
} from '../../state/index.ts';
import { RulesControls } from './RulesControls.tsx';
import { Name } from '../app/Name.tsx';
import { Segmented } from '../app/Segmented.tsx';
import { Message } from '../app/Message.tsx';
import { ShowMore, useShownCount } from '../app/ShowMore.tsx';
import { HelpLink, MomentNote, ProblemDetails } from './ProblemParts.tsx';
import './validation.css';

/** Files listed at first: a folder of thousands with problems is shown a page at a time. */
const FILES_SHOWN = 100;
/** Files of a group listed at first, once it is open. */
const GROUP_FILES_SHOWN = 50;

type SeverityFilter = 'all' | 'error' | 'warning';

const FILTERS: { value: SeverityFilter; label: string }[] = [
  { value: 'all', label: 'All problems' },
  { value: 'error', label: 'Errors' },
  { value: 'warning', label: 'Warnings' },
];

const NONE: Problem[] = [];

/**
 * Every problem of every open file: the schema's, libvirt's rules, the QEMU driver's warnings and
 * the chain's, and what the disk images and the backup folder say of each checkpoint, each with its
 * file and line. The selected file first; then what several files share, once ("15 files: …", their
 * list on request); then each file's own. Where a field rule knows what is wrong, its line leads and
 * libxml2's words follow. Choosing a problem shows its line in the XML source; its ? opens the Help
 * at its code.
 */
export function ValidationPanel({
  collapsed,
  onToggle,
}: {
  collapsed: boolean;
  onToggle: () => void;
}) {
  // Its lists go over every file: as a folder's tree grows, they are made again in a render of
  // their own (a later task), not in the task of the store's growth.
  const rows = useDeferredValue(useEditor(selectRows));
  const problemsById = useDeferredValue(useEditor(selectProblemsById));
  const counts = useEditor(selectCounts);
  const selectedId = useEditor(selectSelectedId);
  const schemaSet = useEditor(selectSchemaSet);
  const documents = useDeferredValue(useEditor((s) => s.documents));
  const revealLine = useEditor((s) => s.revealLine);
  const [limit, setLimit] = useState(FILES_SHOWN);
  const [filter, setFilter] = useState<SeverityFilter>('all');
  const validating = counts.validating;
  // What the disk images show of each checkpoint, beside its own problems.
  const diskState = useEditor(selectDiskState);
  const imageProblems = diskState?.problemsById ?? NO_IMAGE_PROBLEMS;
  // And what its backup folder (virtnbdbackup's data files) says of each checkpoint's backup.
  const backupState = useEditor(selectBackupState);
  const backupProblems = backupState?.problemsById ?? NO_IMAGE_PROBLEMS;
  // What it lists is what it counts: the VM on screen, as its tree row counts it.
  const vms = useEditor(selectVms);
  const currentVm = useEditor(selectCurrentVm);
  const diskStates = useEditor((s) => s.diskStates);
  const backupStates = useEditor((s) => s.backupStates);
  const {
    errors: allErrors,
    warnings: allWarnings,
    scope,
  } = useMemo(
    () => selectPanelCounts({ vms, currentVm, diskStates, backupStates }),
    [vms, currentVm, diskStates, backupStates],
  );

  const shown = (id: string): Problem[] => {
    const all = withTheirs(problemsById[id], imageProblems[id], backupProblems[id]);
    return filter === 'all' ? all : all.filter((p) => p.severity === filter);
  };
  const grouped = useMemo(() => {
    const files: { id: string; problems: Problem[] }[] = [];
    for (const item of rows) {
      const all = withTheirs(
        problemsById[item.id],
        imageProblems[item.id],
        backupProblems[item.id],
      );
      const list = filter === 'all' ? all : all.filter((p) => p.severity === filter);
      if (list.length) files.push({ id: item.id, problems: list });
    }
    return groupProblems(files);
  }, [rows, problemsById, imageProblems, backupProblems, filter]);
  const selected = selectedId === null ? NONE : shown(selectedId);
  const others = grouped.own.filter((f) => f.id !== selectedId);
  const fileName = useMemo(() => nameLabels(documents), [documents]);
  // Problems of files that are no checkpoint: the images' outputs, the backup's data files.
  const fileImageProblems = useMemo(() => {
    const all = (diskState?.imageProblems ?? NONE).concat(backupState?.dataFileProblems ?? NONE);
    return filter === 'all' ? all : all.filter((p) => p.severity === filter);
  }, [diskState, backupState, filter]);
  const any =
    selected.length > 0 ||
    grouped.groups.length > 0 ||
    others.length > 0 ||
    fileImageProblems.length > 0;

  return (
    <section id="validation" className="validation" aria-labelledby="validation-title">
      <div className="validation-bar">
        <h2 className="panel-title" id="validation-title">
          Validation
        </h2>
        <button
          type="button"
          className="button small icon"
          aria-expanded={!collapsed}
          aria-controls="validation-body"
          title={collapsed ? 'Show the problems' : 'Hide the problems (the separator too)'}
          onClick={onToggle}
        >
          <span aria-hidden="true">{collapsed ? '▴' : '▾'}</span>
          <span className="visually-hidden">{collapsed ? 'Show problems' : 'Hide problems'}</span>
        </button>
        <span className="counts" aria-live="polite" data-testid="validation-counts">
          {validating > 0 && schemaSet.status !== 'failed' ? (
            <span>
              Validating {validating} {validating === 1 ? 'file' : 'files'}…
            </span>
          ) : null}
          <span className={allErrors ? 'count-error' : 'count-ok'}>
            {scope ? `${scope}: ` : ''}
            {allErrors} {allErrors === 1 ? 'error' : 'errors'}
          </span>
          <span className={allWarnings ? 'count-warning' : undefined}>
            {allWarnings} {allWarnings === 1 ? 'warning' : 'warnings'}
          </span>
        </span>
        <Segmented
          legend="Show problems"
          name="problem-filter"
          options={FILTERS}
          value={filter}
          onChange={setFilter}
        />
        <RulesControls />
      </div>
      <div id="validation-body" className="validation-body" hidden={collapsed}>
        {rows.length === 0 ? (
          <p className="empty-state">Open checkpoint files to validate them.</p>
        ) : !any ? (
          <p className="empty-state">
            {filter !== 'all'
              ? `No ${filter === 'error' ? 'errors' : 'warnings'}.`
              : validating > 0
                ? 'No problems so far; the schema check is still running.'
                : `All ${rows.length} ${rows.length === 1 ? 'file is' : 'files are'} valid against ${schemaSet.label} and libvirt's redefine rules.`}
          </p>
        ) : (
          <>
            {selectedId !== null && selected.length > 0 && (
              <FileProblems
                fileName={fileName(selectedId)}
                current
                problems={explainProblems(selected)}
                onReveal={(line) => revealLine(selectedId, line)}
              />
            )}
            {grouped.groups.length > 0 && (
              <ul className="problem-groups" aria-label="Problems several files share">
                {grouped.groups.map((g) => (
                  <SharedProblem
                    key={`${g.severity}-${g.code}-${g.message}`}
                    group={g}
                    fileName={fileName}
                    onReveal={revealLine}
                  />
                ))}
              </ul>
            )}
            {others.slice(0, limit).map((f) => (
              <FileProblems
                key={f.id}
                fileName={fileName(f.id)}
                current={false}
                problems={f.problems}
                onReveal={(line) => revealLine(f.id, line)}
              />
            ))}
            {fileImageProblems.length > 0 && <ImageFileProblems problems={fileImageProblems} />}
            {others.length > limit && (
              <button
                type="button"
                className="button small more-button"
                onClick={() => setLimit(limit + FILES_SHOWN * 5)}
              >
                Show more: {(others.length - limit).toLocaleString('en')} more files with problems
              </button>
            )}
          </>
        )}
      </div>
    </section>
  );
}

const NO_IMAGE_PROBLEMS: Record<string, Problem[]> = {};

/**
 * Problems of the qemu-img or QMP output files (a bitmap no checkpoint keeps) and of virtnbdbackup
 * data files no checkpoint is named for, by file.
 */
function ImageFileProblems({ problems }: { problems: readonly Problem[] }) {
  const byFile = useMemo(() => {
    const byFile = new Map<string, Problem[]>();
    for (const p of problems) {
      const list = byFile.get(p.file ?? '');
      if (list) list.push(p);
      else byFile.set(p.file ?? '', [p]);
    }
    return byFile;
  }, [problems]);
  return (
    <>
      {[...byFile].map(([file, list]) => (
        <ImageFileList key={file} file={file} list={list} />
      ))}
    </>
  );
}

/** One output file's problems, the first 200 at once: a file may hold 200,000 stray bitmaps. */
function ImageFileList({ file, list }: { file: string; list: readonly Problem[] }) {
  const { shown, more } = useShownCount();
  return (
    <div>
      <h3 className="validation-file">
        <Name text={file || 'disk images'} />
      </h3>
      <ul className="problem-list">
        {list.slice(0, shown).map((p, i) => (
          <li key={`${p.code}-${p.line}-${i}`} className="problem-row">
            <span className="problem-button">
              <span className={`severity ${p.severity}`}>{p.severity}</span>
              <span className="where">{p.line !== undefined ? `line ${p.line}` : 'file'}</span>
              <Message text={p.message} />
              <span className="code">{p.code}</span>
            </span>
            <HelpLink code={p.code} />
          </li>
        ))}
      </ul>
      <ShowMore total={list.length} shown={shown} what="problems" onMore={more} />
    </div>
  );
}

/** One problem several files have word for word: said once, its files listed on request. */
function SharedProblem({
  group,
  fileName,
  onReveal,
}: {
  group: ProblemGroup;
  fileName: (id: string) => string;
  onReveal: (id: string, line: number) => void;
}) {
  const [all, setAll] = useState(false);
  const files = all ? group.files : group.files.slice(0, GROUP_FILES_SHOWN);
  const count = group.files.length.toLocaleString('en');
  return (
    <li className="problem-group">
      <details>
        <summary aria-label={`${group.severity} in ${count} files: ${group.message} ${group.code}`}>
          <span className={`severity ${group.severity}`}>{group.severity}</span>
          <span className="where">{count} files:</span>
          <Message text={group.message} />
          <MomentNote message={group.message} />
          <span className="code">{group.code}</span>
        </summary>
        <ul className="problem-list group-files">
          {files.map((f) => (
            <li key={f.id}>
              <button
                type="button"
                className="problem-button"
                onClick={() => onReveal(f.id, f.line ?? 1)}
              >
                <span className="where">
                  <Name text={fileName(f.id)} />
                  {f.line !== undefined ? `:${f.line}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
        {!all && group.files.length > GROUP_FILES_SHOWN && (
          <button type="button" className="button small more-button" onClick={() => setAll(true)}>
            Show all {count}
          </button>
        )}
      </details>
      <HelpLink code={group.code} />
    </li>
  );
}

function FileProblems({
  fileName,
  current,
  problems,
  onReveal,
}: {
  fileName: string;
  current: boolean;
  problems: ExplainedProblem[];
  onReveal: (line: number) => void;
}) {
  return (
    <div>
      <h3 className={current ? 'validation-file current' : 'validation-file'}>
        <Name text={fileName} />
      </h3>
      <ul className="problem-list">
        {problems.map(({ problem: p, details }, i) => (
          <li key={`${p.code}-${p.line}-${i}`} className="problem-row">
            <button type="button" className="problem-button" onClick={() => onReveal(p.line ?? 1)}>
              <span className={`severity ${p.severity}`}>{p.severity}</span>
              <span className="where">{p.line !== undefined ? `line ${p.line}` : 'file'}</span>
              <Message text={p.message} />
              <MomentNote message={p.message} />
              <span className="code">{p.code}</span>
            </button>
            <HelpLink code={p.code} />
            <ProblemDetails details={details} />
          </li>
        ))}
      </ul>
    </div>
  );
}
