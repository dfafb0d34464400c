/** An item the heap orders: earliest `runAt` first, then lowest `order` (FIFO among equals). */
export interface HeapItem {
  runAt: number;
  order: number;
}

/**
 * Binary min-heap of pending jobs (internal), so finding the next due job among thousands of timers
 * costs O(log n). Stale items (removed or rescheduled jobs) are dropped lazily by the caller's
 * `isCurrent` check instead of being searched for.
 */
export class RunOrderHeap<T extends HeapItem> {
  private readonly items: T[] = [];

  constructor(private readonly isCurrent: (item: T) => boolean) {}

  /** Number of items, stale ones included. */
  get size(): number {
    return this.items.length;
  }

  /** Adds an item. */
  push(item: T): void {
    this.items.push(item);
    this.siftUp(this.items.length - 1);
  }

  /** The earliest current item, without removing it. */
  peek(): T | undefined {
    while (this.items.length > 0 && !this.isCurrent(this.items[0]!)) this.removeTop();
    return this.items[0];
  }

  /** Removes and returns the earliest current item. */
  pop(): T | undefined {
    const top = this.peek();
    if (top) this.removeTop();
    return top;
  }

  private removeTop(): void {
    const last = this.items.pop()!;
    if (this.items.length === 0) return;
    this.items[0] = last;
    this.siftDown(0);
  }

  private before(a: T, b: T): boolean {
    return a.runAt < b.runAt || (a.runAt === b.runAt && a.order < b.order);
  }

  private siftUp(index: number): void {
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.before(this.items[child]!, this.items[parent]!)) return;
      this.swap(child, parent);
      child = parent;
    }
  }

  private siftDown(index: number): void {
    let parent = index;
    for (;;) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < this.items.length && this.before(this.items[left]!, this.items[smallest]!)) smallest = left;
      if (right < this.items.length && this.before(this.items[right]!, this.items[smallest]!))
        smallest = right;
      if (smallest === parent) return;
      this.swap(parent, smallest);
      parent = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const item = this.items[a]!;
    this.items[a] = this.items[b]!;
    this.items[b] = item;
  }
}
