import type { DomainSpan } from '../core/index.ts';
import { findDomain } from '../core/index.ts';
import type { SchemaSet } from './schema-set.ts';
import type { FileVerdict, Validator, XmlFile } from './validator.ts';
import { SHORTCUT_TEXT_LIMIT } from './validator.ts';

/**
 * Each distinct <domain> validated once. domaincheckpoint.rng reads domain.rng as a nested grammar
 * (`<grammar><include href="domain.rng"/></grammar>`), so whether a <domain> is valid does not depend
 * on the rest of the file. Once a domain's exact text is known valid (a file holding it validated
 * with nothing to say), later files holding the same text are validated with a small valid domain in
 * its place, padded with newlines so every other line keeps its number and its text.
 */

/** Valid for every libvirt domain.rng (type and name are all it requires). */
export const STAND_IN_DOMAIN = '<domain type="kvm"><name>checkpoint-editor</name></domain>';

const NESTED_DOMAIN_GRAMMAR =
  /<grammar>\s*<include\s+href\s*=\s*["']domain\.rng["']\s*\/>\s*<\/grammar>/;

/** True when the set's root schema reads domain.rng as a nested grammar, as libvirt's does. */
export function nestsDomainGrammar(schemas: SchemaSet): boolean {
  const root = schemas.files.find((f) => f.fileName === schemas.root);
  return root !== undefined && NESTED_DOMAIN_GRAMMAR.test(root.contents);
}

/** The file with the stand-in in the domain's place, on the same lines. */
export function withStandIn(contents: string, span: DomainSpan): string {
  const newlines = span.text.split('\n').length - 1;
  return (
    contents.slice(0, span.start) +
    STAND_IN_DOMAIN +
    '\n'.repeat(newlines) +
    contents.slice(span.end)
  );
}

const STAND_IN_PROBE: XmlFile = {
  fileName: 'stand-in.xml',
  contents: `<domaincheckpoint>\n  ${STAND_IN_DOMAIN}\n</domaincheckpoint>\n`,
};

const quiet = (v: FileVerdict | undefined) => v !== undefined && v.valid && v.problems.length === 0;

/**
 * A validator that validates each distinct domain once, over `inner` (which does every run). Off
 * for a schema set that does not nest domain.rng, or where the stand-in itself is not valid (asked
 * once, with the first run that holds a domain).
 */
export function withDomainShortcut(inner: Validator, schemas: SchemaSet): Validator {
  if (!nestsDomainGrammar(schemas)) return inner;
  const knownValid = new Set<string>();
  let standInValid: boolean | undefined;

  /** One inner run over the files at `indices`, each with the stand-in where its domain is known. */
  const run = async (
    files: readonly XmlFile[],
    spans: readonly (DomainSpan | undefined)[],
    indices: number[],
    verdicts: FileVerdict[],
  ) => {
    if (indices.length === 0) return;
    const sent = indices.map((i) => {
      const file = files[i] as XmlFile;
      const span = spans[i];
      return standInValid && span && knownValid.has(span.text)
        ? { fileName: file.fileName, contents: withStandIn(file.contents, span) }
        : file;
    });
    const probe = standInValid === undefined && indices.some((i) => spans[i]);
    const answers = await inner.validate(probe ? [...sent, STAND_IN_PROBE] : sent);
    if (probe) standInValid = quiet(answers[sent.length]);
    indices.forEach((i, k) => {
      const answer = answers[k] as FileVerdict;
      verdicts[i] = answer;
      const span = spans[i];
      if (standInValid && span && sent[k] === files[i] && quiet(answer)) knownValid.add(span.text);
    });
  };

  return {
    async validate(files) {
      // A large file's domain is not looked for: scanning and hashing it would stop the page.
      const spans = files.map((f) =>
        f.contents.length > SHORTCUT_TEXT_LIMIT ? undefined : findDomain(f.contents),
      );
      // First every file whose domain is known or new here; then those that waited for their
      // domain's first file to be validated.
      const now: number[] = [];
      const later: number[] = [];
      const seen = new Set<string>();
      spans.forEach((span, i) => {
        if (!span || knownValid.has(span.text) || !seen.has(span.text)) now.push(i);
        else later.push(i);
        if (span) seen.add(span.text);
      });
      const verdicts: FileVerdict[] = new Array<FileVerdict>(files.length);
      await run(files, spans, now, verdicts);
      await run(files, spans, later, verdicts);
      return verdicts;
    },
    close() {
      inner.close();
    },
  };
}
