/**
 * A step that follows the event log in order: how far it got (`position`), and promises to whoever waits
 * for it to get somewhere (`waitFor`). A subclass says where it starts (`resumeAt`) and what it has
 * handled (`reached`).
 */
export abstract class Follower {
  #position = 0;
  readonly #waiters = new Set<{ position: number; resolve: () => void }>();

  /** The global position up to which every event has been handled. */
  get position(): number {
    return this.#position;
  }

  /** Resolves once every event up to `position` has been handled. */
  waitFor(position: number): Promise<void> {
    if (this.#position >= position) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.add({ position, resolve }));
  }

  /** Goes on from `position` (a checkpoint read back): the waiters wait for what is handled next. */
  protected resumeAt(position: number): void {
    this.#position = position;
  }

  /** Every event up to `position` has been handled: whoever waited for that goes on. */
  protected reached(position: number): void {
    this.#position = position;
    for (const waiter of this.#waiters) {
      if (waiter.position > position) continue;
      this.#waiters.delete(waiter);
      waiter.resolve();
    }
  }
}
