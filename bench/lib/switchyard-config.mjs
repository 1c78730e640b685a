/** A generated Switchyard config (LiteLLM `config.yaml` shape) with one vLLM deployment. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR } from './paths.mjs';

/**
 * Writes a config (`extra` merged at the top level) whose `model_name` equals the emulator's model (so every
 * target receives the identical request body) and returns its path.
 * JSON is valid YAML, so no YAML writer is needed.
 */
export function writeSwitchyardConfig({ emulatorUrl, model, extra = {}, name = 'switchyard' }) {
  const config = {
    model_list: [
      {
        model_name: model,
        litellm_params: { model: `hosted_vllm/${model}`, api_base: `${emulatorUrl}/v1` },
      },
    ],
    // Top-level sections a bench adds (`litellm_settings: { callbacks: ['otel'] }`).
    ...extra,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  // `name` keeps two configs of one bench process apart.
  const path = join(RESULTS_DIR, `${name}-bench-config-${process.pid}.yaml`);
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  return path;
}
