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
 *
 * One run holds them all: the first file of a domain not yet known valid goes whole, and the others
 * holding that domain go with the stand-in on the guess that it is valid (as nearly every domain
 * is). A guess the run does not bear out (the first file had anything to say, or the stand-in is
 * not valid) is thrown away, and those files go again, whole, in a second run.
 */
export function withDomainShortcut(inner: Validator, schemas: SchemaSet): Validator {
  if (!nestsDomainGrammar(schemas)) return inner;
  const knownValid = new Set<string>();
  let standInValid: boolean | undefined;

  return {
    async validate(files) {
      // A large file's domain is not looked for: scanning it would take long for nothing.
      const spans = files.map((f) =>
        f.contents.length > SHORTCUT_TEXT_LIMIT ? undefined : findDomain(f.contents),
      );
      const verdicts: FileVerdict[] = new Array<FileVerdict>(files.length);
      const whole = new Set<number>();
      const firstOf = new Set<string>();
      const guessed: number[] = [];
      const sent = files.map((file, i) => {
        const span = spans[i];
        if (!span || standInValid === false) return file;
        if (knownValid.has(span.text)) {
          return { fileName: file.fileName, contents: withStandIn(file.contents, span) };
        }
        if (!firstOf.has(span.text)) {
          firstOf.add(span.text);
          whole.add(i);
          return file;
        }
        guessed.push(i);
        return { fileName: file.fileName, contents: withStandIn(file.contents, span) };
      });
      const probe = standInValid === undefined && spans.some((span) => span);
      const answers = await inner.validate(probe ? [...sent, STAND_IN_PROBE] : sent);
      if (probe) standInValid = quiet(answers[sent.length]);
      answers.slice(0, files.length).forEach((answer, i) => {
        verdicts[i] = answer;
        const span = spans[i];
        if (standInValid && span && whole.has(i) && quiet(answer)) knownValid.add(span.text);
      });
      const again = guessed.filter((i) => !(standInValid && knownValid.has(spans[i]?.text ?? '')));
      if (again.length > 0) {
        const wholeAgain = await inner.validate(again.map((i) => files[i] as XmlFile));
        again.forEach((i, k) => (verdicts[i] = wholeAgain[k] as FileVerdict));
      }
      return verdicts;
    },
    close() {
      inner.close();
    },
  };
}
