/**
 * The OpenAI Responses API's wire shapes, as far as Switchyard reads and
 * writes them. Unknown fields are kept by the schemas and ignored.
 */

/** A content part of an input message. */
export type ResponsesInputPart =
  | { type: 'input_text'; text: string }
  | { type: 'output_text'; text: string; [key: string]: unknown }
  | { type: 'refusal'; refusal: string }
  | { type: 'input_image'; image_url?: string; file_id?: string; detail?: string }
  | { type: 'input_file'; file_data?: string; file_id?: string; filename?: string };

/** A message item (`type` may be left out, as the "easy" input form does). */
export interface ResponsesMessageItem {
  type?: 'message';
  id?: string;
  role: 'user' | 'assistant' | 'system' | 'developer';
  content: string | ResponsesInputPart[];
  status?: string;
  [key: string]: unknown;
}

/** A function call the model made. */
export interface ResponsesFunctionCallItem {
  type: 'function_call';
  id?: string;
  call_id: string;
  name: string;
  arguments: string;
  status?: string;
  [key: string]: unknown;
}

/** The result of a function call, sent back by the client. */
export interface ResponsesFunctionCallOutputItem {
  type: 'function_call_output';
  id?: string;
  call_id: string;
  output: string | Array<{ type: string; text?: string; [key: string]: unknown }>;
  [key: string]: unknown;
}

/** Reasoning the model produced (its text in `content`, vLLM's form, or `summary`). */
export interface ResponsesReasoningItem {
  type: 'reasoning';
  id?: string;
  summary?: Array<{ type: string; text: string }>;
  content?: Array<{ type: string; text: string }>;
  [key: string]: unknown;
}

/** A stored item named by id (resolved by the proxy before translation). */
export interface ResponsesItemReference {
  type: 'item_reference';
  id: string;
}

/** Any input item. */
export type ResponsesInputItem =
  | ResponsesMessageItem
  | ResponsesFunctionCallItem
  | ResponsesFunctionCallOutputItem
  | ResponsesReasoningItem
  | ResponsesItemReference;

/** A function tool. */
export interface ResponsesFunctionTool {
  type: 'function';
  name: string;
  description?: string | null;
  parameters?: Record<string, unknown> | null;
  strict?: boolean | null;
  [key: string]: unknown;
}

/** `text.format`. */
export type ResponsesTextFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      name: string;
      schema: Record<string, unknown>;
      strict?: boolean | null;
      description?: string;
    };

/** A `POST /v1/responses` body. */
export interface ResponsesRequest {
  model: string;
  input?: string | ResponsesInputItem[];
  instructions?: string | null;
  tools?: Array<ResponsesFunctionTool | { type: string; [key: string]: unknown }>;
  tool_choice?:
    | 'auto'
    | 'none'
    | 'required'
    | { type: 'function'; name: string }
    | { type: string; [key: string]: unknown };
  parallel_tool_calls?: boolean | null;
  max_output_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  reasoning?: { effort?: string | null; summary?: string | null } | null;
  text?: { format?: ResponsesTextFormat } | null;
  metadata?: Record<string, string> | null;
  store?: boolean | null;
  previous_response_id?: string | null;
  user?: string | null;
  stream?: boolean | null;
  [key: string]: unknown;
}

/** An output item of a response. */
export type ResponsesOutputItem =
  | {
      type: 'message';
      id: string;
      role: 'assistant';
      status: 'in_progress' | 'completed' | 'incomplete';
      content: Array<{ type: 'output_text'; text: string; annotations: unknown[] }>;
    }
  | {
      type: 'function_call';
      id: string;
      call_id: string;
      name: string;
      arguments: string;
      status: 'in_progress' | 'completed' | 'incomplete';
    }
  | {
      type: 'reasoning';
      id: string;
      summary: Array<{ type: 'summary_text'; text: string }>;
      content: Array<{ type: 'reasoning_text'; text: string }>;
      status?: 'in_progress' | 'completed' | 'incomplete';
    };

/** Usage; counts nobody made are absent (the whole object is null), an estimate is marked. */
export interface ResponsesUsage {
  input_tokens: number;
  output_tokens: number | null;
  total_tokens: number;
  input_tokens_details?: { cached_tokens: number };
  output_tokens_details?: { reasoning_tokens: number };
  estimated?: boolean;
}

/** A `response` object. */
export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  error: { code: string; message: string } | null;
  incomplete_details: { reason: string } | null;
  model: string;
  output: ResponsesOutputItem[];
  usage: ResponsesUsage | null;
  [key: string]: unknown;
}

/** One event of a streamed response (each carries `sequence_number`). */
export interface ResponsesStreamEvent {
  type: string;
  sequence_number: number;
  [key: string]: unknown;
}
