/**
 * @module
 * Mean-shift segmentation of a cleaned daily series: the exact optimal
 * partition the change-point detector (`change-point.ts`) reads level shifts
 * from.
 */

/** A change point of the cleaned log series and its statistic T between its neighbours. */
export interface SplitPoint {
  index: number;
  statistic: number;
}

/**
 * Optimal partitioning (step 4 of `change-point.ts`'s module comment): the segmentation
 * minimising Σ (value − segment mean)² / σ² + `threshold` per segment, by
 * dynamic programming over every earlier segment start, O(n²). Exact where
 * binary segmentation is greedy (it splits a 12-day burst first near its
 * middle, and the minimum segment length then holds it off the burst's
 * end). σ is each day's own noise, so a quiet stretch does not make the
 * noise of a busy one look significant; means are weighted by 1/σ².
 * Splitting a segment at k lowers the cost by exactly T, so every kept point
 * has T ≥ `threshold` nearly always; those that do not, between their final
 * neighbours, are dropped weakest first.
 */
export function segmentMeans(
  series: Float64Array,
  noise: Float64Array,
  options: { minSegment: number; threshold: number },
): SplitPoint[] {
  const { minSegment, threshold } = options;
  const count = series.length;
  const weights = new Float64Array(count + 1);
  const sums = new Float64Array(count + 1);
  const squares = new Float64Array(count + 1);
  for (let index = 0; index < count; index += 1) {
    const value = series[index] as number;
    const weight = 1 / (noise[index] as number) ** 2;
    weights[index + 1] = (weights[index] as number) + weight;
    sums[index + 1] = (sums[index] as number) + weight * value;
    squares[index + 1] = (squares[index] as number) + weight * value * value;
  }
  const cost = (start: number, end: number): number => {
    const sum = (sums[end] as number) - (sums[start] as number);
    const weight = (weights[end] as number) - (weights[start] as number);
    return (squares[end] as number) - (squares[start] as number) - (sum * sum) / weight;
  };

  const best = new Float64Array(count + 1).fill(Number.POSITIVE_INFINITY);
  const previous = new Int32Array(count + 1);
  best[0] = -threshold;
  for (let end = minSegment; end <= count; end += 1) {
    // cost(start, end) inlined: this loop is the O(n²) part.
    const endWeight = weights[end] as number;
    const endSum = sums[end] as number;
    const endSquare = squares[end] as number;
    let bestTotal = Number.POSITIVE_INFINITY;
    let bestStart = 0;
    for (let start = 0; start <= end - minSegment; start += 1) {
      const sum = endSum - (sums[start] as number);
      const total =
        (best[start] as number) +
        endSquare -
        (squares[start] as number) -
        (sum * sum) / (endWeight - (weights[start] as number)) +
        threshold;
      if (total < bestTotal) {
        bestTotal = total;
        bestStart = start;
      }
    }
    best[end] = bestTotal;
    previous[end] = bestStart;
  }
  const points: number[] = [];
  if (count >= minSegment) {
    for (let end = previous[count] as number; end > 0; end = previous[end] as number) points.unshift(end);
  }

  const statisticOf = (position: number): number => {
    const start = points[position - 1] ?? 0;
    const end = points[position + 1] ?? count;
    const index = points[position] as number;
    return cost(start, end) - cost(start, index) - cost(index, end);
  };
  for (;;) {
    let weakest = -1;
    let weakestStatistic = threshold;
    for (let position = 0; position < points.length; position += 1) {
      const statistic = statisticOf(position);
      if (statistic < weakestStatistic) {
        weakest = position;
        weakestStatistic = statistic;
      }
    }
    if (weakest < 0) break;
    points.splice(weakest, 1);
  }
  return points.map((index, position) => ({ index, statistic: statisticOf(position) }));
}
