/**
 * Whether an RSS series stayed flat: the mean of the last window within
 * `tolerance` of the mean of the second window (the first is start-up and
 * JIT warm-up), and every sample under `limitMb`.
 */
import { mean } from './stats.mjs';

/**
 * @param {{ tS: number, rssMb: number }[]} series samples in time order
 * @param {{ windowS: number, tolerance?: number, limitMb?: number }} options
 */
export function judgeRss(series, { windowS, tolerance = 0.1, limitMb = 100 }) {
  const end = series.at(-1)?.tS ?? 0;
  const inRange = (from, to) => series.filter(s => s.tS > from && s.tS <= to).map(s => s.rssMb);
  const second = mean(inRange(windowS, 2 * windowS));
  const last = mean(inRange(end - windowS, end));
  const max = Math.max(...series.map(s => s.rssMb));
  const growth = second === undefined || last === undefined ? undefined : last / second - 1;
  return {
    secondWindowMeanMb: second,
    lastWindowMeanMb: last,
    growth,
    flat: growth === undefined ? undefined : Math.abs(growth) <= tolerance,
    maxMb: max,
    underLimit: max < limitMb,
    windowS,
    tolerance,
    limitMb,
  };
}
