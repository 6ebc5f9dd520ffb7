// Binary search over an ascending typed array: where a value goes, and where it is.

type Sorted = Float64Array | Int32Array

/** How many sorted values are < x. */
export function lowerBound(sorted: Sorted, x: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((sorted[mid] as number) < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** How many sorted values are <= x. */
export function upperBound(sorted: Sorted, x: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((sorted[mid] as number) <= x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The position of x among the sorted values (the first, if repeated), -1 when absent. */
export function indexOfSorted(sorted: Sorted, x: number): number {
  const at = lowerBound(sorted, x)
  return at < sorted.length && sorted[at] === x ? at : -1
}
