/** Validation and normalisation of `POST /v1/chat/completions` bodies. */
import { checkKind, type FieldRule, isRecord } from './field-checks';
import type { ValidationIssue } from './pydantic-message';
import { valueErrorIssue } from './pydantic-message';
import { checkSamplingRequest, SAMPLING_RULES } from './vllm-sampling';
import { missingNamedTool } from './vllm-tools';

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

const CHAT_RULES: Record<string, FieldRule> = {
  messages: { kind: 'list', required: true },
  ...SAMPLING_RULES,
  max_completion_tokens: { kind: 'int' },
  logprobs: { kind: 'bool' },
  top_logprobs: { kind: 'int' },
  tools: { kind: 'list' },
  parallel_tool_calls: { kind: 'bool' },
  include_reasoning: { kind: 'bool' },
  add_generation_prompt: { kind: 'bool' },
  continue_final_message: { kind: 'bool' },
  chat_template_kwargs: { kind: 'dict' },
  response_format: { kind: 'dict' },
  structured_outputs: { kind: 'dict' },
  guided_choice: { kind: 'list' },
};

/** Throws vLLM's 400 for a chat body that its pydantic model would refuse. */
export function checkChatRequest(body: Record<string, unknown>): void {
  checkSamplingRequest(body, CHAT_RULES, chatIssues);
}

function chatIssues(body: Record<string, unknown>): ValidationIssue[] {
  const issues = messageIssues(body.messages as unknown[]);
  if (issues.length > 0) return issues;
  const toolChoice = body.tool_choice;
  if (
    toolChoice !== undefined &&
    toolChoice !== null &&
    !isRecord(toolChoice) &&
    !['none', 'auto', 'required'].includes(String(toolChoice))
  ) {
    issues.push({
      type: 'literal_error',
      loc: ['tool_choice'],
      msg: "Input should be 'none', 'auto' or 'required'",
      input: toolChoice,
    });
  }
  const top = body.top_logprobs;
  if (typeof top === 'number' && top < 0 && top !== -1) {
    issues.push(valueErrorIssue('`top_logprobs` must be a positive value or -1.', body));
  }
  if (typeof top === 'number' && (top > 0 || top === -1) && body.logprobs !== true) {
    issues.push(
      valueErrorIssue('when using `top_logprobs`, `logprobs` must be set to true.', body),
    );
  }
  if (body.add_generation_prompt === true && body.continue_final_message === true) {
    issues.push(
      valueErrorIssue(
        'Cannot set both `continue_final_message` and `add_generation_prompt` to True.',
        body,
      ),
    );
  }
  if (isRecord(toolChoice) && missingNamedTool(body.tools, toolChoice)) {
    issues.push(
      valueErrorIssue(
        'The tool specified in `tool_choice` does not match any of the specified `tools`',
        body,
      ),
    );
  }
  if (toolChoice === 'required' && !(Array.isArray(body.tools) && body.tools.length > 0)) {
    issues.push(valueErrorIssue('When using `tool_choice`, `tools` must be set.', body));
  }
  return issues;
}

function messageIssues(messages: unknown[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  messages.forEach((message, index) => {
    if (!isRecord(message)) {
      issues.push({
        type: 'model_attributes_type',
        loc: ['messages', index],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        input: message,
      });
      return;
    }
    if (message.role === undefined) {
      issues.push({
        type: 'missing',
        loc: ['messages', index, 'role'],
        msg: 'Field required',
        input: message,
      });
    } else if (typeof message.role !== 'string' || !ROLES.has(message.role)) {
      issues.push({
        type: 'literal_error',
        loc: ['messages', index, 'role'],
        msg: "Input should be 'system', 'developer', 'user', 'assistant' or 'tool'",
        input: message.role,
      });
    }
    const content = message.content;
    if (content !== undefined && content !== null && typeof content !== 'string') {
      const issue = checkKind(content, 'list', ['messages', index, 'content']);
      if (issue) issues.push(issue);
    }
  });
  return issues;
}
