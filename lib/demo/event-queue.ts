import type { PlannedMessage } from './plan-types';

// A binary min-heap of planned messages by (SendingTime, insertion order). The insertion order
// breaks ties so equal times leave in the order they were planned: deterministic output.

interface Entry {
  at: number;
  order: number;
  message: PlannedMessage;
}

export class EventQueue {
  private readonly heap: Entry[] = [];
  private counter = 0;

  get size(): number {
    return this.heap.length;
  }

  push(message: PlannedMessage): void {
    const heap = this.heap;
    heap.push({ at: message.at, order: this.counter++, message });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  /** SendingTime of the earliest message, or Infinity. */
  peekTime(): number {
    return this.heap.length > 0 ? this.heap[0].at : Infinity;
  }

  pop(): PlannedMessage | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l], heap[m])) m = l;
        if (r < heap.length && less(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top.message;
  }
}

function less(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}
