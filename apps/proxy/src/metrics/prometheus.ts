/**
 * A minimal Prometheus registry: counters, gauges and histograms exposed in
 * the text format. Hot paths resolve a handle per label set once (see
 * `Counter.handle`, `Histogram.handle`) and then record with no label
 * rendering, no Map lookup and no allocation.
 */
export { Counter, type CounterHandle } from './counter';
export { Gauge } from './gauge';
export { bucketIndex, Histogram, type HistogramHandle, LATENCY_BUCKETS } from './histogram';
export { type Labels, labelKey } from './label-key';
