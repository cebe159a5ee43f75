import type { Problem } from '../../core/index.ts';
import type { CheckpointDocument, DocumentCheck } from '../../state/index.ts';
import { currentSchemaResult, useEditor } from '../../state/index.ts';

const errorsOf = (problems: readonly Problem[]) => problems.filter((p) => p.severity === 'error');

function first(p: Problem | undefined): string {
  if (!p) return '';
  return `${p.line !== undefined ? `line ${p.line}: ` : ''}${p.message.split('\n')[0]}`;
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
  const refusal = ruleErrors[0] ?? schemaErrors?.[0];
  const libvirtText = refusal
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
        className={`verdict ${refusal ? 'bad' : schemaErrors === undefined ? '' : 'good'}`}
        title={
          refusal
            ? `libvirt would refuse it: ${first(refusal)}`
            : 'virsh checkpoint-create --redefine: the file read as libvirt reads it, its schema and its rules'
        }
      >
        libvirt: {libvirtText}
      </span>
    </span>
  );
}
