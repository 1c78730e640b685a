export * from './emulator-server';
export * from './fault-responder';
export * from './faults';
export * from './request-log';
export * from './sse-stream';
export * from './text-generator';
export * from './timing';
