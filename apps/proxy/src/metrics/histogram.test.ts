import { describe, expect, it } from 'vitest';
import { bucketIndex, Histogram } from './histogram';

describe('bucketIndex', () => {
  const bounds = Float64Array.from([0.1, 1, 1, 10]);

  it('finds the first bound at or above the value', () => {
    expect([-1, 0.1, 0.2, 1, 5, 10].map(v => bucketIndex(bounds, v))).toEqual([0, 0, 1, 1, 3, 3]);
  });

  it('puts values above every bound, and NaN, past the last bucket', () => {
    expect(bucketIndex(bounds, 11)).toBe(4);
    expect(bucketIndex(bounds, Number.POSITIVE_INFINITY)).toBe(4);
    expect(bucketIndex(bounds, Number.NaN)).toBe(4);
  });
});

describe('Histogram', () => {
  it('renders cumulative buckets from one count per observation', () => {
    const h = new Histogram('h', 'help', [1, 2, 2, 5]);
    const series = h.handle({ a: 'x' });
    for (const v of [0.5, 2, 3, 7, Number.NaN]) series.observe(v);
    expect(h.render()).toBe(
      '# HELP h help\n# TYPE h histogram\n' +
        'h_bucket{a="x",le="1"} 1\nh_bucket{a="x",le="2"} 2\nh_bucket{a="x",le="2"} 2\n' +
        'h_bucket{a="x",le="5"} 3\nh_bucket{a="x",le="+Inf"} 5\nh_sum{a="x"} NaN\nh_count{a="x"} 5\n',
    );
  });

  it('exposes a series from its first observation, not from when its handle was taken', () => {
    const h = new Histogram('h', 'help', [1]);
    const late = h.handle({ a: 'late' });
    h.observe({ a: 'early' }, 1);
    late.observe(1);
    expect(h.render().indexOf('early')).toBeLessThan(h.render().indexOf('late'));
    expect(new Histogram('h', 'help', [1]).render()).toBe('# HELP h help\n# TYPE h histogram\n');
  });

  it('rejects bounds out of order', () => {
    expect(() => new Histogram('h', 'help', [1, 0.5])).toThrow(RangeError);
  });
});
