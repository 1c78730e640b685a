import {
  BadRequestError,
  type CallContext,
  type ChatCompletionRequest,
  thinkingToReasoningEffort,
} from '@switchyard/core';
import { chatMessagesForVllm } from './chat-messages';
import { cleanToolChoice, cleanTools } from './clean-tools';
import { upstreamBody } from './upstream-body';

/** Inputs of {@link buildChatBody}. */
export interface BuildChatBodyOptions {
  request: ChatCompletionRequest;
  ctx: CallContext;
  stream: boolean;
}

/**
 * The `/v1/chat/completions` body for a chat request: everything forwarded
 * (see {@link upstreamBody}), then messages, tools and `thinking` rewritten
 * for vLLM and `stream` set by the operation. The request is never modified.
 */
export function buildChatBody({
  request,
  ctx,
  stream,
}: BuildChatBodyOptions): Record<string, unknown> {
  const raw = request as Readonly<Record<string, unknown>>;
  const body = upstreamBody({ request: raw, ctx, consumed: ['thinking', 'stream'] });
  body.messages = chatMessagesForVllm(body.messages, {
    forwardReasoningContent: ctx.options.forward_reasoning_content === true,
    reasoningContentField:
      ctx.options.reasoning_content_field === 'reasoning' ? 'reasoning' : 'reasoning_content',
  });

  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) {
      throw new BadRequestError({
        message: 'tools must be an array of tool definitions',
        param: 'tools',
      });
    }
    if (body.tools.length === 0) {
      // vLLM answers 422 to `tools: []`; a tool_choice without tools is meaningless.
      delete body.tools;
      delete body.tool_choice;
    } else {
      body.tools = cleanTools(body.tools);
      if (body.tool_choice !== undefined) body.tool_choice = cleanToolChoice(body.tool_choice);
    }
  }

  if (body.reasoning_effort === undefined) {
    const effort = thinkingToReasoningEffort(raw.thinking);
    if (effort !== undefined) body.reasoning_effort = effort;
  }

  body.stream = stream;
  if (!stream) delete body.stream_options;
  return body;
}
