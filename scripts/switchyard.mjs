#!/usr/bin/env node
// `pnpm switchyard …`: the `switchyard` command in a clone of the repository
// (builds first), so the README's commands work as written with `pnpm` in front.
import { runProxyCommand } from './proxy-command.mjs';

await runProxyCommand(process.argv.slice(2));
