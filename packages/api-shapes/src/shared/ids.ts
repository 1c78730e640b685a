import { randomUUID } from 'node:crypto';

/**
 * A fresh id with the given prefix (`msg_`, `resp_`, `fc_`, `rs_`): 32 hex
 * digits of a random UUID, so ids from many proxy instances never collide.
 */
export function newId(prefix: string): string {
  return prefix + randomUUID().replaceAll('-', '');
}

/**
 * The id an answer gets from the upstream's chat completion id: the same
 * suffix with this API's prefix, so one request is one id in every log.
 */
export function idFromChatId(prefix: string, chatId: string | undefined): string {
  if (typeof chatId !== 'string' || chatId === '') return newId(prefix);
  return prefix + (chatId.startsWith('chatcmpl-') ? chatId.slice(9) : chatId);
}
