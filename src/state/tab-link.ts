/** What a tab tells the other tabs of its origin about the session they share. */
export type TabMessage =
  /** The editing tab stored these files (and the session's list of files). */
  | { type: 'saved'; ids: string[] }
  /** A tab asks the editing tab to save and let go: it takes over. */
  | { type: 'take-over' }
  /** The editing tab heard it: it writes and stores its edits under way, then lets go. */
  | { type: 'letting-go' }
  /** A tab now edits the session. */
  | { type: 'editing' }
  /** The editing tab is going (closed, reloaded or navigated away). */
  | { type: 'left' };

/**
 * One tab among the others of its origin: one of them at a time holds the session (edits and
 * saves it), the others follow what it saves. The browser's Web Locks say who holds it; a
 * BroadcastChannel carries what it saved and a request to let go.
 */
export interface TabLink {
  /** Holds the session if no other tab does: true when this tab now edits it. */
  claim(onLost: () => void): Promise<boolean>;
  /**
   * Holds the session once the tab that has it lets go, asking it to; a tab that does not answer
   * within `patience.answerMs` (frozen, or hung), or answers and has not let go within
   * `patience.storeMs` (its edits being written and stored), loses it all the same.
   */
  takeOver(onLost: () => void, patience: { answerMs: number; storeMs: number }): Promise<void>;
  /** Lets go of the session, for the tab that asked for it. */
  release(): void;
  post(message: TabMessage): void;
  /** Hears what the other tabs say; returns the way to stop. */
  listen(onMessage: (message: TabMessage) => void): () => void;
  close(): void;
}

const LOCK_NAME = 'checkpoint-editor-session';
const CHANNEL_NAME = 'checkpoint-editor-session';

function isTabMessage(data: unknown): data is TabMessage {
  const m = data as Partial<TabMessage> | null;
  if (m?.type === 'saved') return Array.isArray((m as { ids?: unknown }).ids);
  return (
    m?.type === 'take-over' ||
    m?.type === 'letting-go' ||
    m?.type === 'editing' ||
    m?.type === 'left'
  );
}

/** Where a page has neither Web Locks nor BroadcastChannel (or in Node): the only tab. */
function soloTabLink(): TabLink {
  return {
    claim: () => Promise.resolve(true),
    takeOver: () => Promise.resolve(),
    release: () => {},
    post: () => {},
    listen: () => () => {},
    close: () => {},
  };
}

/** The page's link to its other tabs: Web Locks and a BroadcastChannel, both the browser's own. */
export function createTabLink(): TabLink {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks || typeof BroadcastChannel === 'undefined') return soloTabLink();
  const channel = new BroadcastChannel(CHANNEL_NAME);
  let letGo: (() => void) | undefined;

  /** Asks for the lock; true once held, false when `ifAvailable` and another tab has it. */
  const hold = (options: LockOptions, onLost: () => void) =>
    new Promise<boolean>((resolve, reject) => {
      let held = false;
      locks
        .request(LOCK_NAME, options, (lock) => {
          if (!lock) {
            resolve(false);
            return undefined;
          }
          held = true;
          resolve(true);
          // Held until released here, or taken by a tab that steals it.
          return new Promise<void>((done) => {
            letGo = done;
          });
        })
        .catch((e: unknown) => {
          if (!held) return reject(e as Error);
          letGo = undefined;
          onLost();
        });
    });

  return {
    claim: (onLost) => hold({ ifAvailable: true }, onLost),
    async takeOver(onLost, { answerMs, storeMs }) {
      const patience = new AbortController();
      let timer = setTimeout(() => patience.abort(), answerMs);
      // The editing tab answers at once, then may take a while: a worker writing a large file.
      const onAnswer = (event: MessageEvent<unknown>) => {
        if ((event.data as TabMessage | null)?.type !== 'letting-go') return;
        clearTimeout(timer);
        timer = setTimeout(() => patience.abort(), storeMs);
      };
      channel.addEventListener('message', onAnswer);
      channel.postMessage({ type: 'take-over' } satisfies TabMessage);
      try {
        await hold({ signal: patience.signal }, onLost);
      } catch {
        await hold({ steal: true }, onLost);
      } finally {
        clearTimeout(timer);
        channel.removeEventListener('message', onAnswer);
      }
    },
    release() {
      letGo?.();
      letGo = undefined;
    },
    post: (message) => channel.postMessage(message),
    listen(onMessage) {
      const listener = (event: MessageEvent<unknown>) => {
        if (isTabMessage(event.data)) onMessage(event.data);
      };
      channel.addEventListener('message', listener);
      return () => channel.removeEventListener('message', listener);
    },
    close() {
      letGo?.();
      letGo = undefined;
      channel.close();
    },
  };
}
