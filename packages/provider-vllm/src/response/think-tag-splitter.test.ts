import { describe, expect, it } from 'vitest';
import { ThinkTagSplitter } from './think-tag-splitter';
import { splitLeadingThinkBlock } from './think-tags';

function run(pieces: string[]): { reasoning: string; content: string } {
  const splitter = new ThinkTagSplitter();
  let reasoning = '';
  let content = '';
  for (const piece of [...pieces.map(p => splitter.push(p)), splitter.flush()]) {
    reasoning += piece.reasoning;
    content += piece.content;
  }
  return { reasoning, content };
}

describe('ThinkTagSplitter', () => {
  const full = '<think>Two plus two: 4.</think>The answer is 4.';

  it('gives the same split wherever the stream is cut, even inside a tag', () => {
    for (let a = 0; a <= full.length; a++) {
      for (let b = a; b <= full.length; b += 3) {
        const out = run([full.slice(0, a), full.slice(a, b), full.slice(b)]);
        expect(out).toEqual({ reasoning: 'Two plus two: 4.', content: 'The answer is 4.' });
      }
    }
  });

  it('sends content without a leading tag straight through', () => {
    const splitter = new ThinkTagSplitter();
    expect(splitter.push('Hello <think>')).toEqual({ reasoning: '', content: 'Hello <think>' });
    expect(run(['<thi', 'nk about it'])).toEqual({ reasoning: '', content: '<think about it' });
  });

  it('treats an unclosed block as reasoning', () => {
    expect(run(['\n<thinking>still going'])).toEqual({ reasoning: 'still going', content: '' });
  });
});

describe('splitLeadingThinkBlock', () => {
  it('splits a leading block, whichever tag name', () => {
    expect(splitLeadingThinkBlock('<budget:thinking>r</budget:thinking>c')).toEqual({
      reasoning: 'r',
      content: 'c',
    });
    expect(splitLeadingThinkBlock('no tag <think>x</think>')).toBeUndefined();
  });
});
