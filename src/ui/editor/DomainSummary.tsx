import type { DomainDisk, XmlElement } from '../../core/index.ts';
import { domainName, domainUuid } from '../../core/index.ts';
import { Name } from '../app/Name.tsx';

const withName = (name: string | undefined) => (name ? <Name text={name} /> : '—');

/** The VM the checkpoint belongs to, in brief: the whole <domain> is in the XML source. */
export function DomainSummary({
  domain,
  disks,
}: {
  domain: XmlElement | undefined;
  disks: DomainDisk[];
}) {
  return (
    <section className="card" aria-labelledby="domain-title">
      <h3 id="domain-title">Domain</h3>
      {domain ? (
        <dl className="summary">
          <dt>Name</dt>
          <dd>{withName(domainName(domain))}</dd>
          <dt>UUID</dt>
          <dd>{domainUuid(domain) ?? '—'}</dd>
          <dt>Disks</dt>
          <dd>
            {disks.length === 0
              ? 'none'
              : disks.map((d) => `${d.target || '?'} (${d.device})`).join(', ')}
          </dd>
        </dl>
      ) : (
        <p className="note" style={{ margin: 0 }}>
          No &lt;domain&gt; in this file. libvirt 7.0 and later can redefine such a checkpoint; the
          strict rules require one.
        </p>
      )}
    </section>
  );
}
