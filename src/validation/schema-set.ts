/** One file of a RELAX NG schema set; `fileName` is its path relative to the set's folder. */
export interface SchemaFile {
  fileName: string;
  contents: string;
}

/** libvirt's schemas for checkpoints: the root schema and every file it includes. */
export interface SchemaSet {
  version: string;
  root: string;
  files: SchemaFile[];
  source?: string;
}

/** public/schemas/current.json: which installed set the app uses. */
export interface SchemaPointer {
  version: string;
  path: string;
}

/** public/schemas/<version>/manifest.json, written by scripts/install-schemas.mjs. */
export interface SchemaManifest {
  version: string;
  source: string;
  root: string;
  files: string[];
}

export const ROOT_SCHEMA = 'domaincheckpoint.rng';

/** The version given to a set that was not installed with a manifest (as install-schemas does). */
export const CUSTOM_VERSION = 'custom';

const REFERENCE = /<(?:\w+:)?(?:include|externalRef)\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The files a schema includes or references, resolved against the schema's own folder. */
function findSchemaReferences(fileName: string, contents: string): string[] {
  const refs: string[] = [];
  for (const m of contents.matchAll(REFERENCE)) {
    const href = m[1] ?? m[2] ?? '';
    // Only relative references can be served from the set; a URL would escape it.
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('/')) {
      throw new Error(`${fileName} references ${href}, outside the schema set`);
    }
    refs.push(decodeURIComponent(new URL(href, `file:///${fileName}`).pathname.slice(1)));
  }
  return refs;
}

/** The root schema and everything it reaches, in discovery order (as install-schemas lists them). */
export async function schemaClosure(
  root: string,
  read: (fileName: string) => Promise<string>,
): Promise<SchemaFile[]> {
  const files: SchemaFile[] = [];
  const seen = new Set<string>();
  const visit = async (fileName: string): Promise<void> => {
    if (seen.has(fileName)) return;
    seen.add(fileName);
    const contents = await read(fileName);
    files.push({ fileName, contents });
    for (const ref of findSchemaReferences(fileName, contents)) await visit(ref);
  };
  await visit(root);
  return files;
}

/** A set from schema files the user picked (a folder such as /usr/share/libvirt/schemas). */
export function schemaSetFromFiles(files: readonly SchemaFile[], root = ROOT_SCHEMA): SchemaSet {
  const byName = new Map(files.map((f) => [baseName(f.fileName), f.contents]));
  const closure: SchemaFile[] = [];
  const seen = new Set<string>();
  const visit = (fileName: string, from?: string): void => {
    if (seen.has(fileName)) return;
    seen.add(fileName);
    const contents = byName.get(baseName(fileName));
    if (contents === undefined) {
      throw new Error(from ? `${from} includes ${fileName}, which is missing` : `no ${fileName}`);
    }
    closure.push({ fileName, contents });
    for (const ref of findSchemaReferences(fileName, contents)) visit(ref, fileName);
  };
  visit(root);
  return { version: CUSTOM_VERSION, root, files: closure };
}

/** Throws where a set could not be handed to xmllint safely. */
export function checkSchemaSet(schemas: SchemaSet): void {
  const names = new Set(schemas.files.map((f) => f.fileName));
  if (!names.has(schemas.root)) throw new Error(`the schema set lacks its root ${schemas.root}`);
  for (const name of names) {
    // xmllint would read a leading '-' as an option; 'in/' is where the validated files go.
    if (
      name.startsWith('-') ||
      name.startsWith('/') ||
      name.startsWith('in/') ||
      name.split('/').includes('..')
    ) {
      throw new Error(`schema file name ${name} cannot be used`);
    }
  }
}

export function isSchemaPointer(value: unknown): value is SchemaPointer {
  const v = value as Partial<SchemaPointer> | null;
  return typeof v?.version === 'string' && typeof v.path === 'string';
}

export function isSchemaManifest(value: unknown): value is SchemaManifest {
  const v = value as Partial<SchemaManifest> | null;
  return (
    typeof v?.version === 'string' &&
    typeof v.root === 'string' &&
    Array.isArray(v.files) &&
    v.files.every((f) => typeof f === 'string')
  );
}

function baseName(fileName: string): string {
  return fileName.slice(fileName.lastIndexOf('/') + 1);
}
