/**
 * Turning proxy-overhead cells into tables and target verdicts. Added
 * latency is always against the direct row of the same run and the same
 * concurrency; ratios compare Switchyard to the minimal pass-through.
 */

import { API_REQUESTS } from './api-requests.mjs';
import { fmt, markdownTable, signed } from './markdown.mjs';
import { pairedRatio } from './rounds.mjs';
import { B_TARGET, TARGET_LABELS } from './targets.mjs';

/** The chat cell of `target` (cells without an `api` are chat: results files of older runs). */
const find = (cells, { target, mode, concurrency }) =>
  cells.find(
    c =>
      c.target === target &&
      (c.api ?? 'chat') === 'chat' &&
      c.mode === mode &&
      c.concurrency === concurrency,
  );

/** A row's label: the target, and the API path when it is not chat. */
function label(cell) {
  const api = cell.api ?? 'chat';
  return api === 'chat'
    ? TARGET_LABELS[cell.target]
    : `${TARGET_LABELS[cell.target]} ${API_REQUESTS[api].path}`;
}

/** The Markdown table of one mode (`json` or `stream`). */
export function modeTable(cells, mode) {
  const rows = cells
    .filter(c => c.mode === mode)
    .sort((a, b) => a.concurrency - b.concurrency)
    .map(cell => {
      const direct = find(cells, { target: 'direct', mode, concurrency: cell.concurrency });
      const isDirect = cell.target === 'direct';
      // Added latency is against the emulator's own chat answer: chat rows only.
      const added = (key, stat) =>
        isDirect || !direct || (cell.api ?? 'chat') !== 'chat'
          ? undefined
          : cell.probe[key][stat] - direct.probe[key][stat];
      const failures = cell.load.non2xx + cell.load.errors + cell.probe.failed;
      return [
        String(cell.concurrency),
        label(cell),
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
        isDirect ? '' : fmt(cell.gateway.maxPssMb),
        isDirect ? '' : fmt(cell.gateway.maxUssMb),
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
      'gw PSS MB (max)',
      'gw USS MB (max)',
      'failed',
    ],
    rows,
  );
}

/** Switchyard's targets (issues 9 and 20) as ratios to the minimal pass-through of the same run. */
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

  const stream64 = get('switchyard', 'stream', 64);
  const minStream64 = get('minimal', 'stream', 64);
  const pairedStream =
    stream64 && minStream64
      ? pairedRatio([stream64, minStream64], (s, m) => s.rps / m.rps)
      : undefined;
  const streamRatio =
    pairedStream?.value ??
    (stream64 && minStream64 ? stream64.load.rps / minStream64.load.rps : undefined);
  add(
    'streaming throughput at c=64 vs pass-through',
    streamRatio,
    '>= 0.90',
    streamRatio >= 0.9,
    stream64 && minStream64
      ? `${fmt(stream64.load.rps)} vs ${fmt(minStream64.load.rps)} RPS${roundsNote(pairedStream)}`
      : 'not measured',
  );

  // Issue 20: memory as a ratio to the pass-through of the same run (every
  // Node process carries its runtime), peaks over every cell, streaming and
  // the other APIs included; private memory (PSS, USS) beside RSS.
  const peakOf = (target, key) => {
    const values = cells
      .filter(c => c.target === target)
      .map(c => c.gateway[key])
      .filter(v => v !== undefined);
    return values.length > 0 ? Math.max(...values) : undefined;
  };
  const pair = ({ sy, min }, name) =>
    sy === undefined || min === undefined
      ? undefined
      : `${name} ${fmt(sy)} vs ${fmt(min)} MB (${fmt(sy / min, 2)}x)`;
  // The B build of an A/B run is judged beside the first.
  const builds = cells.some(c => c.target === B_TARGET) ? ['switchyard', B_TARGET] : ['switchyard'];
  for (const build of builds) {
    const memory = key => ({ sy: peakOf(build, key), min: peakOf('minimal', key) });
    const rss = memory('maxRssMb');
    const rssRatio = rss.sy !== undefined && rss.min !== undefined ? rss.sy / rss.min : undefined;
    add(
      `peak RSS under load vs pass-through${build === B_TARGET ? ' (B build)' : ''}`,
      rssRatio,
      '<= 1.30',
      rssRatio <= 1.3,
      [pair(rss, 'RSS'), pair(memory('maxPssMb'), 'PSS'), pair(memory('maxUssMb'), 'USS')]
        .filter(Boolean)
        .join('; ') || 'not measured',
    );
  }
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
      v.value === undefined ? '' : `${fmt(v.value, 2)}x`,
      v.limit,
      v.pass === undefined ? 'not run' : v.pass ? 'pass' : '**FAIL**',
      v.detail,
    ]),
  );
}
