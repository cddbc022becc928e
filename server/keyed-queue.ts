// Async work serialised per key: a task starts when every earlier task of its key has settled
// (fulfilled or rejected), so each decides on the state the previous one left. Tasks of different
// keys run concurrently. A key is forgotten once its last task has settled: memory holds only the
// keys with work in flight. One task's failure is its caller's, never the next task's.

export class KeyedQueue<K = string> {
  private readonly tails = new Map<K, Promise<void>>();

  /** Runs `task` after the earlier tasks of `key`; resolves or rejects as `task` does. */
  run<T>(key: K, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(settled, settled);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running. */
  get size(): number {
    return this.tails.size;
  }
}

/** One queue: every task after the previous one. */
export class SerialQueue {
  private readonly queue = new KeyedQueue<null>();

  run<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.run(null, task);
  }
}

function settled(): void {}
