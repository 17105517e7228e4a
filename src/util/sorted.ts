/** Whether a sorted list of numbers holds a value in [start, end), by binary search. */
export const anyWithin = (sorted: number[], start: number, end: number): boolean => {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] < end;
};
