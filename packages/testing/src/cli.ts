#!/usr/bin/env node
/** `switchyard-emulator <vllm|triton> [options]`: runs an emulator until SIGINT/SIGTERM. */
import { runTritonCli } from './triton/triton-cli';
import { runVllmCli } from './vllm/vllm-cli';

const USAGE = `Usage: switchyard-emulator <command> [options]

Commands:
  vllm      run a vLLM OpenAI-compatible server emulator
  triton    run a Triton Inference Server emulator

Run "switchyard-emulator <command> --help" for a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'vllm':
      await runVllmCli(rest);
      return 0;
    case 'triton':
      await runTritonCli(rest);
      return 0;
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  code => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`switchyard-emulator: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
