/** Why an archive was read no further: cut short, damaged, past the limit, not an archive at all. */
export type BundleStopCode =
  | 'bundle-unreadable'
  | 'bundle-cut-short'
  | 'bundle-damaged'
  | 'bundle-too-large'
  | 'bundle-cancelled';

/** Thrown inside the unpacker to end the whole archive; its message follows the archive's name. */
export class BundleStop extends Error {
  constructor(
    readonly code: BundleStopCode,
    message: string,
  ) {
    super(message);
  }
}
