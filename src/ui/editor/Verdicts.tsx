import { useDeferredValue, useMemo } from 'react';
import type { LeftOut, Problem } from '../../core/index.ts';
import type { CheckpointDocument, DocumentCheck } from '../../state/index.ts';
import {
  currentSchemaResult,
  selectForest,
  selectIdByFile,
  selectProblemsById,
  selectFileCounts,
  selectRedefinePlan,
  useEditor,
} from '../../state/index.ts';

const errorsOf = (problems: readonly Problem[]) => problems.filter((p) => p.severity === 'error');

function first(p: Problem | undefined): string {
  if (!p) return '';
  return `${p.line !== undefined ? `line ${p.line}: ` : ''}${p.message.split('\n')[0]}`;
}

/** Why the redefine script leaves a checkpoint out, in libvirt's words where it has them. */
function leftOutText(l: LeftOut): string {
  const r = l.reason;
  switch (r.kind) {
    case 'parent-missing':
      return `parent ${r.parent} for moment ${l.key} not found`;
    case 'cycle':
      return 'its parents go round in a cycle';
    case 'refused':
      return `${r.errors === 1 ? 'an error' : `${r.errors} errors`} in the file`;
    case 'below':
      return `below ${r.ancestor}, which is left out`;
    case 'duplicate':
      return `${r.kept} defines the same checkpoint and is redefined instead`;
  }
}

/**
 * The two verdicts, apart where they differ: what xmllint says of the file against libvirt's
 * schema, and whether libvirt would redefine it (its reading of the bytes, entities unexpanded,
 * the schema, its rules).
 */
export function Verdicts({ doc, check }: { doc: CheckpointDocument; check: DocumentCheck }) {
  const schema = useEditor((s) => currentSchemaResult(s, doc.id));
  const schemaErrors = schema ? errorsOf(schema.problems) : undefined;
  const ruleErrors = errorsOf(check.problems);
  const schemaText =
    schemaErrors === undefined
      ? 'checking'
      : schemaErrors.length === 0
        ? 'valid'
        : `${schemaErrors.length} ${schemaErrors.length === 1 ? 'error' : 'errors'}`;
  // libvirt takes it only where the redefine script would: its own rules and the chain's.
  // Planned again over the whole chain in a render of its own, not in the task that grew the tree.
  const forest = useDeferredValue(useEditor(selectForest));
  const idByFile = useDeferredValue(useEditor(selectIdByFile));
  const problemsById = useDeferredValue(useEditor(selectProblemsById));
  const leftOut = useMemo(
    () =>
      selectRedefinePlan({ forest, idByFile, problemsById }).leftOut.find(
        (l) => l.file === doc.fileName,
      ),
    [forest, idByFile, problemsById, doc.fileName],
  );
  // The file's problems in all (rules, schema, chain, disk images), as the tree's badge and the
  // Validation panel count them; the schema's verdict above counts only xmllint's.
  const errors = useEditor((s) => selectFileCounts(s, doc.id).errors);
  const warnings = useEditor((s) => selectFileCounts(s, doc.id).warnings);
  const refusal = ruleErrors[0] ?? schemaErrors?.[0];
  // A file refused for the chain's errors (a parent missing, a name twice) says the first of them.
  const chainError = (problemsById[doc.id] ?? []).find((p) => p.severity === 'error');
  const chainRefusal =
    refusal || !leftOut
      ? undefined
      : leftOut.reason.kind === 'refused' && chainError
        ? first(chainError)
        : leftOutText(leftOut);
  const libvirtText =
    refusal || chainRefusal
      ? 'would refuse it'
      : schemaErrors === undefined
        ? 'checking'
        : 'would redefine it';
  return (
    <span className="verdicts">
      <span
        className={`verdict ${schemaErrors === undefined ? '' : schemaErrors.length ? 'bad' : 'good'}`}
        title="xmllint --relaxng against libvirt's domaincheckpoint.rng"
      >
        Schema (xmllint): {schemaText}
      </span>
      <span
        className={`verdict ${refusal || chainRefusal ? 'bad' : schemaErrors === undefined ? '' : 'good'}`}
        title={
          refusal
            ? `libvirt would refuse it: ${first(refusal)}`
            : chainRefusal
              ? `libvirt would refuse it, and the redefine script leaves it out: ${chainRefusal}`
              : 'virsh checkpoint-create --redefine: the file read as libvirt reads it, its schema, its rules and the chain'
        }
      >
        libvirt: {libvirtText}
        {chainRefusal && <span className="verdict-reason">: {chainRefusal}</span>}
      </span>
      <span
        className={`verdict-count ${errors ? 'bad' : ''}`}
        data-testid="file-counts"
        title="Every problem of this file: libvirt's rules, the schema, the chain and its disk images, as the tree and the Validation panel count them"
      >
        This file: {errors} {errors === 1 ? 'error' : 'errors'}, {warnings}{' '}
        {warnings === 1 ? 'warning' : 'warnings'}
      </span>
    </span>
  );
}
