import type { Problem } from './problem.ts';
import { problem } from './problem.ts';
import type { XmlElement } from './xml-tree.ts';

/**
 * Fields whose schema type is data (a pattern or a number): libxml2's RELAX NG validator checks
 * their string value, in which a declared entity's value stands, so a reference passes there.
 */
const DATA_FIELDS = new Set([
  'domaincheckpoint/name',
  'domaincheckpoint/parent/name',
  'domaincheckpoint/creationTime',
]);

/**
 * Where libvirt's schema check and xmllint's part. `xmllint --relaxng` turns on entity
 * substitution (XML_PARSE_NOENT); libvirt parses without it, so an entity reference stays a node,
 * and libxml2's RELAX NG validator refuses it in the content of any element whose pattern is text
 * or elements (<description>, everything in <domain>, <metadata>). In an attribute, libvirt reads
 * the entity's value. Seen with libvirt 9.0: `<description>&who;</description>` and a reference in
 * <metadata> fail "XML document failed to validate against schema"; `<name>c&who;</name>` is read
 * as the name "coperator".
 */
export function unexpandedEntityProblems(root: XmlElement): Problem[] {
  const problems: Problem[] = [];
  const visit = (el: XmlElement, path: string) => {
    for (const c of el.children) {
      if (c.kind === 'element') visit(c, `${path}/${c.name}`);
      else if (c.kind === 'entity' && !DATA_FIELDS.has(path)) {
        problems.push(
          problem(
            'libvirt-schema-entity',
            `XML document failed to validate against schema: libvirt does not expand entities, and the entity reference &${c.name}; in <${el.name}> is not text its schema accepts`,
            c.position,
          ),
        );
      }
    }
  };
  visit(root, root.name);
  return problems;
}
