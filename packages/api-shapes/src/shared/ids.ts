import { randomFillSync } from 'node:crypto';

/** Random bytes drawn 256 ids at a time: one system call per 256 ids, not one UUID per id. */
const pool = Buffer.allocUnsafe(16 * 256);
let next = pool.length;

/**
 * A fresh id with the given prefix (`msg_`, `resp_`, `fc_`, `rs_`): 32 hex
 * digits of 128 random bits (as many as a random UUID's 122 and more), so
 * ids from many proxy instances never collide. Read from a pool of random
 * bytes as hex: a random UUID with its dashes taken out cost about three
 * times as much, and a Responses request makes two or three ids.
 */
export function newId(prefix: string): string {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const at = next;
  next += 16;
  return prefix + pool.toString('hex', at, at + 16);
}

/**
 * The id an answer gets from the upstream's chat completion id: the same
 * suffix with this API's prefix, so one request is one id in every log.
 */
export function idFromChatId(prefix: string, chatId: string | undefined): string {
  if (typeof chatId !== 'string' || chatId === '') return newId(prefix);
  return prefix + (chatId.startsWith('chatcmpl-') ? chatId.slice(9) : chatId);
}
