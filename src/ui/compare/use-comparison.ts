import { useMemo } from 'react';
import type { Checkpoint, Comparison, XmlElement } from '../../core/index.ts';
import {
  compareCheckpoints,
  compareDomains,
  formatCheckpoint,
  formatDomainText,
  parseCheckpoint,
  parseXml,
} from '../../core/index.ts';
import type { CheckpointDocument, Comparing, VmDefinition } from '../../state/index.ts';
import { libvirtTextOf, selectCompareFromOther, useEditor } from '../../state/index.ts';

/** One side of a comparison: what it is called, and its text as written and as libvirt lays it out. */
export interface Side {
  /** The checkpoint's name, or the file's. */
  label: string;
  fileName: string;
  written: string;
  /** libvirt's layout of the same, when it can be read. */
  formatted?: string;
  /** Why it cannot be compared, in libxml2's or libvirt's words. */
  unreadable?: string;
}

export interface ComparisonView {
  /** The older on the left (`a`), the newer on the right (`b`), whichever the comparison started from. */
  a: Side;
  /** Null when there is nothing to compare with. */
  b: Side | null;
  /** A checkpoint with a checkpoint, or a checkpoint's <domain> with a VM definition. */
  of: 'checkpoints' | 'domains';
  comparison?: Comparison;
  /** Whether the checkpoint the comparison started from is `b`: the one compared with is older. */
  fromOther: boolean;
}

type Read = { checkpoint: Checkpoint } | { problem: string };

function readDocument(doc: CheckpointDocument): Read {
  const parsed = parseCheckpoint(libvirtTextOf(doc));
  if (parsed.ok) return { checkpoint: parsed.value };
  const [p] = parsed.problems;
  return { problem: `${p?.line !== undefined ? `line ${p.line}: ` : ''}${p?.message ?? ''}` };
}

/** The <domain> as the file wrote it: its own span of the text. */
function domainAsWritten(text: string, domain: XmlElement): string {
  return domain.span ? `${text.slice(domain.span.start, domain.span.end)}\n` : '';
}

function checkpointSide(doc: CheckpointDocument, read: Read): Side {
  const side: Side = { label: doc.fileName, fileName: doc.fileName, written: doc.text };
  if ('problem' in read) return { ...side, unreadable: read.problem };
  return {
    ...side,
    label: read.checkpoint.name ?? doc.fileName,
    formatted: formatCheckpoint(read.checkpoint),
  };
}

function domainSide(
  label: string,
  fileName: string,
  text: string,
  domain: XmlElement,
  scope?: Checkpoint['domainScope'],
): Side {
  return {
    label,
    fileName,
    written: domainAsWritten(text, domain),
    formatted: formatDomainText(domain, scope),
  };
}

/**
 * What the Compare dialog shows: both sides and how they differ, worked out from the texts; two
 * checkpoints read forwards, the older first, a checkpoint's <domain> before a VM definition.
 */
export function useComparison(comparing: Comparing): ComparisonView | undefined {
  const started = useEditor((s) => s.documents[comparing.id]);
  const other = comparing.with;
  const compared = useEditor((s) =>
    other?.kind === 'checkpoint' ? s.documents[other.id] : undefined,
  );
  const fromOther = useEditor(selectCompareFromOther);
  const docA = fromOther ? compared : started;
  const docB = fromOther ? started : compared;
  const definition = useEditor((s) =>
    other?.kind === 'definition'
      ? s.definitions.find((d: VmDefinition) => d.fileName === other.fileName)
      : undefined,
  );
  return useMemo(() => {
    if (!docA) return undefined;
    const readA = readDocument(docA);
    const a = checkpointSide(docA, readA);
    if (docB) {
      const readB = readDocument(docB);
      const b = checkpointSide(docB, readB);
      const view: ComparisonView = { a, b, of: 'checkpoints', fromOther };
      if ('checkpoint' in readA && 'checkpoint' in readB)
        view.comparison = compareCheckpoints(readA.checkpoint, readB.checkpoint);
      return view;
    }
    if (!definition) return { a, b: null, of: 'checkpoints', fromOther };
    const xml = parseXml(definition.text);
    const b: Side = {
      label: definition.label,
      fileName: definition.fileName,
      written: definition.text,
    };
    if (!xml.ok)
      return {
        a,
        b: { ...b, unreadable: xml.problems[0]?.message ?? '' },
        of: 'domains',
        fromOther,
      };
    const definitionSide = domainSide(
      definition.label,
      definition.fileName,
      definition.text,
      xml.value,
    );
    definitionSide.written = definition.text;
    if (!('checkpoint' in readA)) return { a, b: definitionSide, of: 'domains', fromOther };
    const domain = readA.checkpoint.domain;
    if (!domain) {
      return {
        a: { ...a, unreadable: 'it has no <domain> to compare with a VM definition' },
        b: definitionSide,
        of: 'domains',
        fromOther,
      };
    }
    return {
      a: domainSide(a.label, a.fileName, docA.text, domain, readA.checkpoint.domainScope),
      b: definitionSide,
      of: 'domains',
      fromOther,
      comparison: {
        differences: compareDomains(domain, xml.value),
        newBitmaps: [],
        lostBitmaps: [],
      },
    };
  }, [docA, docB, definition, fromOther]);
}
