#!/usr/bin/env node
import cluster from 'node:cluster';
import { dirname } from 'node:path';
import { isSwitchyardError } from '@switchyard/core';
import { startupBanner } from './banner';
import { type CliArgs, parseCliArgs, USAGE, UsageError } from './cli-args';
import { ConfigError } from './config/config-error';
import { type LoadedConfig, loadConfigFile } from './config/load-config';
import { singleModelConfig } from './config/single-model-config';
import { startProxy } from './server/start-proxy';

async function load(args: CliArgs): Promise<LoadedConfig> {
  if (args.config !== undefined) return loadConfigFile(args.config);
  return singleModelConfig({ model: args.model!, apiBase: args.apiBase, alias: args.alias });
}

async function runServer(args: CliArgs, loaded: LoadedConfig): Promise<void> {
  const proxy = await startProxy({
    config: loaded.config,
    baseDir: loaded.path ? dirname(loaded.path) : process.cwd(),
    host: args.host,
    port: args.port,
    detailedDebug: args.detailedDebug,
  });
  if (!cluster.isWorker || cluster.worker?.id === 1) {
    process.stderr.write(
      startupBanner(proxy, loaded, { host: args.host, workers: args.numWorkers }),
    );
  }
  for (const key of loaded.unsupportedKeys) {
    if (!cluster.isWorker || cluster.worker?.id === 1)
      proxy.logger.warn({ key }, 'config key not supported yet; ignored');
  }
  const stop = (signal: string) => {
    proxy.logger.info({ signal }, 'shutting down: draining in-flight requests');
    void proxy.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

function runPrimary(args: CliArgs): void {
  for (let i = 0; i < args.numWorkers; i++) cluster.fork();
  let stopping = false;
  cluster.on('exit', (worker, code) => {
    if (!stopping && code !== 0) {
      process.stderr.write(`worker ${worker.process.pid} exited with ${code}; stopping\n`);
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      process.exitCode = code ?? 1;
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
  });
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`switchyard: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw error;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  try {
    // The primary validates too, so a bad config fails once, not once per worker.
    const loaded = await load(args);
    if (args.numWorkers > 1 && cluster.isPrimary) runPrimary(args);
    else await runServer(args, loaded);
  } catch (error) {
    if (error instanceof ConfigError || isSwitchyardError(error)) {
      process.stderr.write(`switchyard: cannot start: ${(error as Error).message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

void main();
