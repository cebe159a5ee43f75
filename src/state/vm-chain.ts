/** One VM's chain as the store keeps it: what the chain slice and the work that derives it share. */
import type { Forest, ForestRow } from '../core/index.ts';

export type ValidationStatus = 'validating' | 'done';

export interface ChainCounts {
  /** Documents still waiting for the schema's verdict on their text. */
  validating: number;
  /** Documents whose verdict under the rules in force is still being worked out, off the page. */
  checking: number;
  errors: number;
  warnings: number;
}

/**
 * One VM's chain: libvirt keeps each domain's checkpoints apart, and so does the page. Its files
 * are those core's groupByVm gave it when they were opened.
 */
export interface VmChain {
  /** core's groupByVm key: `uuid:…`, `name:…`, `folder:…` or `unknown:…`, after `host:HOST/` on a host. */
  key: string;
  /** What the page calls it: its name, else its folder (two never read alike). */
  label: string;
  /** The VM's name, as its checkpoints' `<domain>` (or its bundle) give it. */
  name?: string;
  uuid?: string;
  /** The folder its files were grouped by, when no `<domain>` says which VM they are. */
  folder?: string;
  /** The host its files were collected from (`fleet/HOST/…`), kept in its key. */
  host?: string;
  /** Its documents, in the order opened. */
  ids: string[];
  forest: Forest;
  rows: ForestRow[];
  rowsById: Record<string, ForestRow>;
  idByFile: ReadonlyMap<string, string>;
  /** The creation time (seconds, as written) of its newest checkpoint. */
  newestTime?: string;
  /** Problems of its documents, as the problem lists count them. */
  errors: number;
  warnings: number;
}
