/** Runs `switchyard-emulator triton …` (placeholder until the Triton emulator lands). */
export async function runTritonCli(_args: string[]): Promise<void> {
  throw new Error('the Triton emulator is not built yet');
}
