import type { Difference } from '../../core/index.ts';

const SCOPES: { scope: Difference['scope']; title: string }[] = [
  { scope: 'checkpoint', title: 'Checkpoint' },
  { scope: 'domain', title: '<domain>' },
];

/** A value from a file: isolated from its neighbours (a name may turn text right to left). */
function Value({ text }: { text: string | undefined }) {
  if (text === undefined) {
    return (
      <>
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">none</span>
      </>
    );
  }
  return <bdi>{text}</bdi>;
}

/**
 * How two checkpoints differ, one row each, grouped as libvirt's XML is (the checkpoint's own
 * fields, then its <domain>): the field in libvirt's words (`parent`, `creationTime`, `disk vdb`,
 * `memory`, an element path), the part of it where it has parts (a disk's `source`; no column
 * when none has), then each side's value: the older's (removed) first, the newer's (added) after.
 */
export function DifferencesTable({
  differences,
  labelA,
  labelB,
}: {
  differences: readonly Difference[];
  labelA: string;
  labelB: string;
}) {
  const parts = differences.some((d) => d.aspect !== undefined);
  return (
    <table className="differences" aria-label="Differences">
      <thead>
        <tr>
          <th scope="col">Field</th>
          {parts && (
            <th scope="col" className="part">
              Part
            </th>
          )}
          <th scope="col">
            <bdi>{labelA}</bdi>
          </th>
          <th scope="col">
            <bdi>{labelB}</bdi>
          </th>
        </tr>
      </thead>
      {SCOPES.map(({ scope, title }) => {
        const rows = differences.filter((d) => d.scope === scope);
        if (rows.length === 0) return null;
        return (
          <tbody key={scope}>
            <tr className="scope-group">
              <th scope="rowgroup" colSpan={parts ? 4 : 3}>
                {title}
              </th>
            </tr>
            {rows.map((d, i) => (
              <tr key={i} className={d.kind} title={d.summary}>
                <th scope="row">
                  <code>{d.field}</code>
                </th>
                {parts && <td className="aspect">{d.aspect}</td>}
                <td className="before">
                  <Value text={d.before} />
                </td>
                <td className="after">
                  <Value text={d.after} />
                </td>
              </tr>
            ))}
          </tbody>
        );
      })}
    </table>
  );
}
