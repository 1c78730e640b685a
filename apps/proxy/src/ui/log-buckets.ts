/**
 * Log-scale buckets for latencies in milliseconds: four per doubling, so a
 * percentile read back from bucket counts is within about 19% of the true
 * value, and a bucket index is one `Math.log2` — cheap enough to take on
 * every request. Bucket 0 holds everything up to 1 ms; the last holds
 * everything from about 17 minutes up.
 */
export const BUCKETS_PER_DOUBLING = 4;
export const BUCKET_COUNT = 20 * BUCKETS_PER_DOUBLING + 1;

/** The bucket a duration in ms falls in. */
export function bucketOf(ms: number): number {
  if (!(ms > 1)) return 0;
  const b = Math.ceil(Math.log2(ms) * BUCKETS_PER_DOUBLING);
  return b < BUCKET_COUNT ? b : BUCKET_COUNT - 1;
}

/** The upper bound of a bucket, ms: what a percentile falling in it is reported as. */
export function bucketUpperMs(bucket: number): number {
  return 2 ** (bucket / BUCKETS_PER_DOUBLING);
}

/**
 * The `q` quantile (0–1) of the counts in `counts[offset … offset+BUCKET_COUNT)`,
 * as its bucket's upper bound; undefined when the counts are all zero.
 */
export function quantileOf(counts: ArrayLike<number>, q: number, offset = 0): number | undefined {
  let total = 0;
  for (let b = 0; b < BUCKET_COUNT; b++) total += counts[offset + b]!;
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let b = 0; b < BUCKET_COUNT; b++) {
    seen += counts[offset + b]!;
    if (seen >= rank) return bucketUpperMs(b);
  }
  return bucketUpperMs(BUCKET_COUNT - 1);
}
