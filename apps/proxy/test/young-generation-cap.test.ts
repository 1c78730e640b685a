/**
 * The CLI's cap on V8's young generation, in fresh Node processes (a test
 * worker's heap has grown already): the same allocation grows the new space
 * to V8's 2 x 16 MiB without the cap and stays at 2 x 8 MiB with it, and a
 * semi-space flag of the operator's turns the cap off.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEMI_SPACE_CAP_MIB } from '../src/server/young-generation-cap';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const MIB = 1024 * 1024;

async function churn(nodeFlags: string[], mode: 'cap' | 'none') {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...nodeFlags, '--import', 'tsx', 'test/fixtures/young-generation/churn.ts', mode],
    { cwd: APP_DIR, env: { ...process.env, NODE_OPTIONS: '' } },
  );
  return JSON.parse(stdout) as { active: boolean; largest: number };
}

describe('young generation cap', () => {
  it('keeps the new space at two 8 MiB semi-spaces where V8 would grow it to two 16 MiB', async () => {
    const [uncapped, capped] = await Promise.all([churn([], 'none'), churn([], 'cap')]);
    expect(uncapped.largest).toBeGreaterThan(2 * DEFAULT_SEMI_SPACE_CAP_MIB * MIB);
    expect(capped.active).toBe(true);
    expect(capped.largest).toBeLessThanOrEqual(2 * DEFAULT_SEMI_SPACE_CAP_MIB * MIB);
  });

  it('leaves V8 alone when the operator sized the semi-spaces', async () => {
    const result = await churn(['--max-semi-space-size=16'], 'cap');
    expect(result.active).toBe(false);
    expect(result.largest).toBeGreaterThan(2 * DEFAULT_SEMI_SPACE_CAP_MIB * MIB);
  });
});
