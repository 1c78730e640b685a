import { HttpClient } from './http-client';

let shared: HttpClient | undefined;

/**
 * The process-wide client, created on first use, so every call to the same
 * upstream reuses one keep-alive pool.
 */
export function getDefaultHttpClient(): HttpClient {
  shared ??= new HttpClient();
  return shared;
}
