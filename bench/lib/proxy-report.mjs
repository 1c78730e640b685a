/**
 * Turning proxy-overhead cells into tables and target verdicts. Added
 * latency is always against the direct row of the same run and the same
 * concurrency; ratios compare Switchyard to the minimal pass-through.
 */
import { fmt, markdownTable, signed } from './markdown.mjs';
import { pairedRatio } from './rounds.mjs';
import { TARGET_LABELS } from './targets.mjs';

const find = (cells, { target, mode, concurrency }) =>
  cells.find(c => c.target === target && c.mode === mode && c.concurrency === concurrency);

/** The Markdown table of one mode (`json` or `stream`). */
export function modeTable(cells, mode) {
  const rows = cells
    .filter(c => c.mode === mode)
    .sort((a, b) => a.concurrency - b.concurrency)
    .map(cell => {
      const direct = find(cells, { target: 'direct', mode, concurrency: cell.concurrency });
      const isDirect = cell.target === 'direct';
      const added = (key, stat) =>
        isDirect || !direct ? undefined : cell.probe[key][stat] - direct.probe[key][stat];
      const failures = cell.load.non2xx + cell.load.errors + cell.probe.failed;
      return [
        String(cell.concurrency),
        TARGET_LABELS[cell.target],
        fmt(cell.load.rps),
        fmt(cell.probe.rps),
        fmt(cell.probe.latencyMs.p50, 3),
        fmt(cell.probe.latencyMs.p99, 3),
        fmt(cell.probe.ttfbMs.p50, 3),
        fmt(cell.probe.ttfbMs.p99, 3),
        signed(added('latencyMs', 'p50')),
        signed(added('ttfbMs', 'p50')),
        isDirect ? '' : fmt(cell.gateway.cpuPercent),
        isDirect ? '' : fmt(cell.gateway.maxRssMb),
        failures === 0 ? '0' : `**${failures}**`,
      ];
    });
  return markdownTable(
    [
      'c',
      'target',
      'RPS (autocannon)',
      'RPS (probe)',
      'p50 ms',
      'p99 ms',
      'TTFB p50',
      'TTFB p99',
      'added p50',
      'added TTFB p50',
      'gw CPU %',
      'gw RSS MB (max)',
      'failed',
    ],
    rows,
  );
}

/** Switchyard's targets as ratios to the minimal pass-through of the same run. */
export function evaluateTargets(cells) {
  const get = (target, mode, concurrency) => find(cells, { target, mode, concurrency });
  const verdicts = [];
  const add = (name, value, limit, pass, detail) =>
    verdicts.push({ name, value, limit, pass: value === undefined ? undefined : pass, detail });

  const sy64 = get('switchyard', 'json', 64);
  const min64 = get('minimal', 'json', 64);
  const paired64 = sy64 && min64 ? pairedRatio([sy64, min64], (s, m) => s.rps / m.rps) : undefined;
  const ratio64 = paired64?.value ?? (sy64 && min64 ? sy64.load.rps / min64.load.rps : undefined);
  add(
    'throughput at c=64 vs pass-through',
    ratio64,
    '>= 0.80',
    ratio64 >= 0.8,
    sy64 && min64
      ? `${fmt(sy64.load.rps)} vs ${fmt(min64.load.rps)} RPS${roundsNote(paired64)}`
      : 'not measured',
  );

  const addedRatio = (mode, key) => {
    const d = get('direct', mode, 1);
    const s = get('switchyard', mode, 1);
    const m = get('minimal', mode, 1);
    if (!d || !s || !m) return { value: undefined, detail: 'not measured' };
    const sAdded = s.probe[key].p50 - d.probe[key].p50;
    const mAdded = m.probe[key].p50 - d.probe[key].p50;
    const field = key === 'ttfbMs' ? 'ttfbP50' : 'latencyP50';
    const paired = pairedRatio(
      [s, m, d],
      (sr, mr, dr) => (sr[field] - dr[field]) / (mr[field] - dr[field]),
    );
    return {
      value: paired?.value ?? sAdded / mAdded,
      detail: `${signed(sAdded)} ms vs ${signed(mAdded)} ms${roundsNote(paired)}`,
    };
  };
  const p50 = addedRatio('json', 'latencyMs');
  add(
    'added p50 latency at c=1 vs pass-through',
    p50.value,
    '<= 1.25',
    p50.value <= 1.25,
    p50.detail,
  );
  const ttfb = addedRatio('stream', 'ttfbMs');
  add(
    'added streaming TTFB at c=1 vs pass-through',
    ttfb.value,
    '<= 1.25',
    ttfb.value <= 1.25,
    ttfb.detail,
  );

  const syCells = cells.filter(c => c.target === 'switchyard');
  const maxRss = syCells.length
    ? Math.max(...syCells.map(c => c.gateway.maxRssMb ?? 0))
    : undefined;
  add(
    'RSS under load',
    maxRss,
    '< 100 MB',
    maxRss < 100,
    maxRss === undefined ? 'not measured' : `${fmt(maxRss)} MB max`,
  );
  return verdicts;
}

/** "; per round 0.91, 0.85, 0.97" when the ratio is a median of paired rounds. */
function roundsNote(paired) {
  if (paired === undefined) return '';
  return `; median of per-round ratios ${paired.ratios.map(r => fmt(r, 2)).join(', ')}`;
}

/** The verdicts as a Markdown table. */
export function targetsTable(verdicts) {
  return markdownTable(
    ['target', 'measured', 'limit', 'result', 'detail'],
    verdicts.map(v => [
      v.name,
      v.value === undefined
        ? ''
        : v.name.startsWith('RSS')
          ? `${fmt(v.value)} MB`
          : `${fmt(v.value, 2)}x`,
      v.limit,
      v.pass === undefined ? 'not run' : v.pass ? 'pass' : '**FAIL**',
      v.detail,
    ]),
  );
}
