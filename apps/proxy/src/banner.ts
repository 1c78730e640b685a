import type { LoadedConfig } from './config/load-config';
import type { RunningProxy } from './server/start-proxy';

/** The start-up text: where it listens, what it serves, and a curl to try. */
export function startupBanner(
  proxy: RunningProxy,
  loaded: LoadedConfig,
  opts: { host: string; workers: number },
): string {
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
  const base = `http://${shownHost}:${proxy.port}`;
  const lines = [
    `Switchyard proxy listening on ${opts.host}:${proxy.port}${opts.workers > 1 ? ` (${opts.workers} workers)` : ''}`,
  ];
  if (loaded.path) lines.push(`Config: ${loaded.path}`);
  for (const up of proxy.demo?.upstreams ?? []) lines.push(`Demo ${up.kind} emulator: ${up.url}`);
  for (const p of proxy.customProviders)
    lines.push(`Provider package ${p.source}: ${p.ids.join(', ')}`);
  lines.push(`Models: ${proxy.models.join(', ') || '(none)'}`);
  for (const key of loaded.unsupportedKeys) lines.push(`Not supported yet, ignored: ${key}`);
  const chatModel = proxy.router
    .deployments()
    .find(d => (d.modelInfo.mode ?? 'chat') === 'chat')?.modelName;
  if (chatModel) {
    const auth = loaded.config.general_settings.master_key
      ? ` \\\n  -H 'Authorization: Bearer <master_key>'`
      : '';
    lines.push(
      '',
      'Try:',
      `curl ${base}/v1/chat/completions -H 'Content-Type: application/json'${auth} \\`,
      `  -d '{"model": "${chatModel}", "messages": [{"role": "user", "content": "Hello!"}]}'`,
    );
  }
  return `${lines.join('\n')}\n`;
}
