import type { Server } from 'node:http';
import { ConfigError } from '../config/config-error';

/**
 * Starts listening; a port that is taken or not allowed is a
 * {@link ConfigError} naming the port (one line from the CLI, not a
 * stack trace).
 */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, port, host));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function listenError(error: NodeJS.ErrnoException, port: number, host: string): Error {
  const where = `port ${port} on ${host}`;
  if (error.code === 'EADDRINUSE') {
    return new ConfigError(
      `${where} is already in use (another switchyard, or another server); choose another with --port or PORT`,
      { cause: error },
    );
  }
  if (error.code === 'EACCES') {
    return new ConfigError(
      `${where} is not allowed for this user (ports below 1024 need privileges); choose another with --port or PORT`,
      { cause: error },
    );
  }
  if (error.code === 'EADDRNOTAVAIL') {
    return new ConfigError(`${host} is not an address of this machine (--host or HOST)`, {
      cause: error,
    });
  }
  return error;
}
