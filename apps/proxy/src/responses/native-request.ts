import type { InvokeArgs } from '@switchyard/router';
import { deploymentIsNative } from '@switchyard/sdk';

/**
 * One upstream call as the proxy makes it: a Responses request for a
 * deployment answering from its own `/v1/responses` (vLLM's) is told to
 * store nothing and continue nothing (`store: false`, no
 * `previous_response_id`), because the proxy keeps the conversation: the
 * route sent all of it as `input`, and stores the answer itself. A request
 * translated to chat goes as the route made it, so the translated
 * response reports the client's own `store` and `previous_response_id`
 * (as OpenAI does) and its events need no copy to say so.
 */
export function withNativeResponsesRequest(args: InvokeArgs): InvokeArgs {
  const operation = args.operation;
  if (operation !== 'responses' && operation !== 'responsesStream') return args;
  if (!deploymentIsNative(args.deployment, operation)) return args;
  const { previous_response_id: _, ...request } = args.request;
  return { ...args, request: { ...request, store: false } };
}
