import { createRequire } from 'node:module';
import type { Agent as UndiciAgent } from 'undici';

const require = createRequire(import.meta.url);

function loadAgent(): typeof UndiciAgent {
  try {
    // undici's index loads fetch, WebSocket, caches and mocks as well (about
    // 10 MB of resident memory in a proxy that uses none of them); the Agent
    // module alone is all the HTTP client needs.
    return require('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;
  } catch {
    // A future undici that moves the file: the full module still works.
    return (require('undici') as { Agent: typeof UndiciAgent }).Agent;
  }
}

/** undici's pooling dispatcher (keep-alive connections per origin). */
export const Agent: typeof UndiciAgent = loadAgent();
