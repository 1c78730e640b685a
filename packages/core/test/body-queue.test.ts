import { describe, expect, it } from 'vitest';
import { BodyQueue } from '../src/http/body-queue';

/** undici's flow control as the queue drives it: what it was told, in order. */
function recordingControl() {
  const calls: string[] = [];
  return {
    calls,
    control: {
      pause: () => calls.push('pause'),
      resume: () => calls.push('resume'),
      abort: () => calls.push('abort'),
    },
  };
}

const bytes = (text: string) => new Uint8Array(Buffer.from(text));
const text = (chunk: Uint8Array | undefined) => Buffer.from(chunk ?? []).toString();

describe('BodyQueue', () => {
  it('hands out every chunk that arrived since the last read as one', async () => {
    const { control } = recordingControl();
    const queue = new BodyQueue({ control, mapError: e => e, onSettle: () => {} });
    // A token stream: one HTTP chunk per event, many in one socket read.
    for (let i = 0; i < 20; i++) queue.push(bytes(`data: ${i}\n\n`));
    const first = await queue.next();
    expect(text(first.value)).toBe(Array.from({ length: 20 }, (_, i) => `data: ${i}\n\n`).join(''));
    queue.push(bytes('data: 20\n\n'));
    queue.end();
    expect(text((await queue.next()).value)).toBe('data: 20\n\n');
    expect((await queue.next()).done).toBe(true);
  });

  it('pauses the upstream past 64 KiB unread, not after a few small chunks', async () => {
    const { calls, control } = recordingControl();
    const queue = new BodyQueue({ control, mapError: e => e, onSettle: () => {} });
    const event = bytes(`data: ${'x'.repeat(250)}\n\n`);
    for (let i = 0; i < 100; i++) queue.push(event);
    expect(calls).toEqual([]);
    const big = new Uint8Array(64 * 1024);
    queue.push(big);
    expect(calls).toEqual(['pause']);
    const read = await queue.next();
    expect(read.value?.length).toBe(100 * event.length + big.length);
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('waits for the next chunk when nothing is queued, and ends after the last', async () => {
    const { control } = recordingControl();
    const queue = new BodyQueue({ control, mapError: e => e, onSettle: () => {} });
    const pending = queue.next();
    queue.push(bytes('data: late\n\n'));
    expect(text((await pending).value)).toBe('data: late\n\n');
    const end = queue.next();
    queue.end();
    expect((await end).done).toBe(true);
  });
});
