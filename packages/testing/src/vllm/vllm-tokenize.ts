/** `POST /tokenize` and `/detokenize`, consistent with the emulator's token counts. */
import { validationError } from './pydantic-message';
import { type RouteCall, reply, resolveModel, type VllmContext } from './vllm-context';
import { badRequest } from './vllm-errors';
import { renderChatPrompt } from './vllm-prompt';
import { requireObjectBody } from './vllm-sampling';
import { BOS_ID, BOS_TEXT } from './vocabulary';

/** Handles both tokenize forms: `prompt` (completion) and `messages` (chat). */
export function handleTokenize(ctx: VllmContext, call: RouteCall): void {
  const body = requireObjectBody(call.body);
  let text: string;
  let addSpecial: boolean;
  if (Array.isArray(body.messages)) {
    text = renderChatPrompt(body.messages, body.add_generation_prompt !== false);
    addSpecial = body.add_special_tokens === true;
  } else if (typeof body.prompt === 'string') {
    text = body.prompt;
    addSpecial = body.add_special_tokens !== false;
  } else {
    throw validationError([
      { type: 'missing', loc: ['prompt'], msg: 'Field required', input: body },
    ]);
  }
  resolveModel(ctx, body.model);
  const words = text.match(/\S+/g) ?? [];
  const tokens = words.map(word => ctx.vocabulary.idOf(word));
  // Byte-level BPE vocabularies mark a leading space with "Ġ"; show the same.
  const strs = words.map((word, index) => (index === 0 ? word : `Ġ${word}`));
  if (addSpecial) {
    tokens.unshift(BOS_ID);
    strs.unshift(BOS_TEXT);
  }
  reply(call, {
    count: tokens.length,
    max_model_len: ctx.maxModelLen,
    tokens,
    token_strs: body.return_token_strs === true ? strs : null,
  });
}

/** Turns ids back into text; `<s>` is skipped as special. */
export function handleDetokenize(ctx: VllmContext, call: RouteCall): void {
  const body = requireObjectBody(call.body);
  const tokens = body.tokens;
  if (!Array.isArray(tokens)) {
    throw validationError([
      tokens === undefined
        ? { type: 'missing', loc: ['tokens'], msg: 'Field required', input: body }
        : {
            type: 'list_type',
            loc: ['tokens'],
            msg: 'Input should be a valid list',
            input: tokens,
          },
    ]);
  }
  resolveModel(ctx, body.model);
  const words: string[] = [];
  tokens.forEach((id, index) => {
    if (!Number.isInteger(id)) {
      throw validationError([
        {
          type: 'int_type',
          loc: ['tokens', index],
          msg: 'Input should be a valid integer',
          input: id,
        },
      ]);
    }
    if (id === BOS_ID) return;
    const word = ctx.vocabulary.wordOf(id as number);
    if (word === undefined)
      throw badRequest(`Token id ${String(id)} is out of vocabulary`, 'tokens');
    words.push(word);
  });
  reply(call, { prompt: words.join(' ') });
}
