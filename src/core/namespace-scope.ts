/**
 * The namespace bindings in scope while a document is read: each prefix's innermost URI is found
 * at once, however many prefixes are declared (a tag may declare 200,000).
 */
export class NamespaceScope {
  /** The prefixes bound, in order, so the innermost element's are undone first. */
  private readonly order: string[] = [];
  /** Each prefix's URIs, innermost last. */
  private readonly uris = new Map<string, string[]>();

  bind(prefix: string, uri: string): void {
    this.order.push(prefix);
    const bound = this.uris.get(prefix);
    if (bound) bound.push(uri);
    else this.uris.set(prefix, [uri]);
  }

  /** Undoes the last `count` bindings: those of the element that closes. */
  unbind(count: number): void {
    for (let k = 0; k < count; k++) {
      const prefix = this.order.pop();
      if (prefix === undefined) return;
      const bound = this.uris.get(prefix);
      bound?.pop();
      if (bound?.length === 0) this.uris.delete(prefix);
    }
  }

  /** The URI the innermost binding of `prefix` gives ('' undeclares), or undefined. */
  uri(prefix: string): string | undefined {
    const bound = this.uris.get(prefix);
    return bound?.[bound.length - 1];
  }
}
