// Filled in by the Triton emulator work: startTritonEmulator and its types.
export {};
