/**
 * A config file (or a setting around it: its port, its data folder) the
 * proxy cannot start with. The message names the key's path
 * (`model_list[2].litellm_params.rpm`) and what was expected; the CLI
 * prints it and exits with status 1 instead of a stack trace.
 */
export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}
