// A binary min-heap ordered by (priority, insertion order), so equal priorities pop first-in
// first-out and runs stay deterministic.

export class MinHeap<T> {
  private readonly items: T[] = []
  private readonly priorities: number[] = []
  private readonly order: number[] = []
  private inserted = 0

  get size(): number {
    return this.items.length
  }

  peekPriority(): number {
    return this.items.length === 0 ? Infinity : (this.priorities[0] as number)
  }

  push(item: T, priority: number): void {
    this.items.push(item)
    this.priorities.push(priority)
    this.order.push(this.inserted++)
    this.up(this.items.length - 1)
  }

  pop(): T | undefined {
    const n = this.items.length
    if (n === 0) return undefined
    const top = this.items[0]
    const lastItem = this.items.pop() as T
    const lastPriority = this.priorities.pop() as number
    const lastOrder = this.order.pop() as number
    if (n > 1) {
      this.items[0] = lastItem
      this.priorities[0] = lastPriority
      this.order[0] = lastOrder
      this.down(0)
    }
    return top
  }

  private less(a: number, b: number): boolean {
    const pa = this.priorities[a] as number
    const pb = this.priorities[b] as number
    return pa < pb || (pa === pb && (this.order[a] as number) < (this.order[b] as number))
  }

  private swap(a: number, b: number): void {
    const item = this.items[a] as T
    this.items[a] = this.items[b] as T
    this.items[b] = item
    const priority = this.priorities[a] as number
    this.priorities[a] = this.priorities[b] as number
    this.priorities[b] = priority
    const order = this.order[a] as number
    this.order[a] = this.order[b] as number
    this.order[b] = order
  }

  private up(index: number): void {
    while (index > 0) {
      const parent = (index - 1) >> 1
      if (!this.less(index, parent)) return
      this.swap(index, parent)
      index = parent
    }
  }

  private down(index: number): void {
    const n = this.items.length
    for (;;) {
      const left = index * 2 + 1
      const right = left + 1
      let smallest = index
      if (left < n && this.less(left, smallest)) smallest = left
      if (right < n && this.less(right, smallest)) smallest = right
      if (smallest === index) return
      this.swap(index, smallest)
      index = smallest
    }
  }
}
