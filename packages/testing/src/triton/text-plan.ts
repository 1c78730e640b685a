/**
 * Decides what a generation model says: scripted text or deterministic
 * generated words, cut by the token budget and stop strings, with a finish
 * reason that says which cut happened.
 */
import { generateTokens, naturalTokenCount, splitTokens } from '../shared/text-generator';

/** The tokens a response will carry and why it ends. */
export interface TextPlan {
  /** Token pieces; joined they are the output text. */
  pieces: string[];
  finishReason: 'stop' | 'length';
}

/** Options for {@link planText}. */
export interface PlanTextOptions {
  /** What the output depends on; same seed, same text. */
  seedText: string;
  maxTokens: number;
  scriptedText?: string;
  /** Stop strings: the output ends before the first one found. */
  stop?: string[];
}

/** Plans a generation; the pieces obey the shared token rule, so counts agree with `countTokens`. */
export function planText(options: PlanTextOptions): TextPlan {
  const maxTokens = Math.max(0, Math.floor(options.maxTokens));
  let pieces: string[];
  let finishReason: TextPlan['finishReason'];
  if (options.scriptedText !== undefined) {
    const all = splitTokens(options.scriptedText);
    pieces = all.slice(0, maxTokens);
    finishReason = all.length > maxTokens ? 'length' : 'stop';
  } else {
    const natural = naturalTokenCount(options.seedText);
    pieces = generateTokens({ seedText: options.seedText, count: Math.min(natural, maxTokens) });
    finishReason = natural > maxTokens ? 'length' : 'stop';
  }
  const stops = (options.stop ?? []).filter(s => s.length > 0);
  if (stops.length === 0) return { pieces, finishReason };
  let text = '';
  for (let i = 0; i < pieces.length; i++) {
    const next = text + pieces[i];
    const hit = firstStop(next, stops);
    if (hit !== -1) {
      const cut = next.slice(text.length, hit);
      return {
        pieces: [...pieces.slice(0, i), ...(cut.length > 0 ? [cut] : [])],
        finishReason: 'stop',
      };
    }
    text = next;
  }
  return { pieces, finishReason };
}

function firstStop(text: string, stops: string[]): number {
  let best = -1;
  for (const stop of stops) {
    const at = text.indexOf(stop);
    if (at !== -1 && (best === -1 || at < best)) best = at;
  }
  return best;
}
