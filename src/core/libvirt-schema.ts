import { CHECKPOINT_NAME } from './fields.ts';
import type { Problem } from './problem.ts';
import { problem } from './problem.ts';
import type { XmlElement } from './xml-tree.ts';

/** The checkpoint's own fields whose schema type is data, and the pattern their text must match. */
const DATA_FIELDS: Record<string, RegExp> = {
  'domaincheckpoint/name': CHECKPOINT_NAME,
  'domaincheckpoint/parent/name': CHECKPOINT_NAME,
  'domaincheckpoint/creationTime': /^[0-9]+$/,
};

/** Elements whose schema pattern is text (domaincommon.rng's description; metadata's content). */
const TEXT_ELEMENTS = new Set(['description']);

/** The text libxml2's RELAX NG validator sees of a data field: its entity references left out. */
function validatedText(el: XmlElement): string {
  return el.children.map((c) => (c.kind === 'text' || c.kind === 'cdata' ? c.text : '')).join('');
}

/**
 * Where libvirt's schema check and xmllint's part. `xmllint --relaxng` turns on entity
 * substitution (XML_PARSE_NOENT); libvirt parses without it, so an entity reference stays a node.
 * libxml2's RELAX NG validator refuses such a node where an element's pattern is text or elements
 * (<description>, <metadata>'s content, any element holding elements), and leaves it out of the
 * value it checks where the pattern is data. libvirt then reads fields with XPath string(), in
 * which the entity's value stands. Seen with libvirt 9.0: `<description>&who;</description>` and
 * a reference in <metadata> fail "XML document failed to validate against schema", and
 * `<name>c&who;</name>` is redefined as the checkpoint "coperator". In <domain>, an element
 * holding only text is taken to be data: libvirt's schema has no other text there but
 * <description>.
 */
export function unexpandedEntityProblems(root: XmlElement): Problem[] {
  const problems: Problem[] = [];
  const refuse = (el: XmlElement, name: string, at: XmlElement['position']) =>
    problems.push(
      problem(
        'libvirt-schema-entity',
        `XML document failed to validate against schema: libvirt does not expand entities, and <${el.name}> holding the entity reference &${name}; is not what its schema accepts`,
        at,
      ),
    );
  const visit = (el: XmlElement, path: string, inMetadata: boolean) => {
    // libxml2 2.9's validator refuses an attribute holding a reference nothing resolves.
    for (const a of el.attributes) {
      const name = a.unresolvedEntities?.[0];
      if (name !== undefined) refuse(el, name, a.position);
    }
    const entities = el.children.filter((c) => c.kind === 'entity');
    const first = entities[0];
    if (first && first.kind === 'entity') {
      const data = DATA_FIELDS[path];
      const holdsElements = el.children.some((c) => c.kind === 'element');
      if (data !== undefined) {
        if (!data.test(validatedText(el))) refuse(el, first.name, first.position);
      } else if (inMetadata || holdsElements || TEXT_ELEMENTS.has(el.name)) {
        refuse(el, first.name, first.position);
      }
    }
    for (const c of el.children) {
      if (c.kind !== 'element') continue;
      visit(c, `${path}/${c.name}`, inMetadata || (c.name === 'metadata' && c.uri === undefined));
    }
  };
  visit(root, root.name, false);
  return problems;
}
