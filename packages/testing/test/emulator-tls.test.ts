/** The emulators over HTTPS: `--tls-cert` / `--tls-key`, and client certificates with `--tls-ca`. */
import { HttpClient } from '@switchyard/core';
import { afterAll, describe, expect, it } from 'vitest';
import { runTritonCli, runVllmCli, testTlsFiles } from '../src/index';

const files = testTlsFiles();
const http = new HttpClient();
afterAll(() => http.close());

/** Runs a CLI in-process until it prints its URL; `stop()` sends SIGTERM and waits for it to end. */
async function runCli(run: Promise<void>): Promise<{ url: string; stop(): Promise<void> }> {
  const original = process.stdout.write.bind(process.stdout);
  const url = await new Promise<string>((resolve, reject) => {
    process.stdout.write = ((chunk: string) => {
      const match = /listening on (\S+)/.exec(String(chunk));
      if (match) resolve(match[1]!);
      return true;
    }) as typeof process.stdout.write;
    run.catch(error => {
      process.stdout.write = original;
      reject(error);
    });
  });
  return {
    url,
    async stop() {
      process.emit('SIGTERM');
      await run;
      process.stdout.write = original;
    },
  };
}

describe('emulators over HTTPS', () => {
  it('vllm --tls-cert/--tls-key serves HTTPS that the test CA verifies', async () => {
    const cli = await runCli(
      runVllmCli(['--port', '0', '--tls-cert', files.serverCert, '--tls-key', files.serverKey]),
    );
    try {
      expect(cli.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const trusting = http.withTls({ caFile: files.ca });
      const models = await trusting.json<{ data: { id: string }[] }>({
        url: `${cli.url}/v1/models`,
      });
      expect(models.data.data[0]!.id).toBe('facebook/opt-125m');
    } finally {
      await cli.stop();
    }
  });

  it('triton --tls-ca requires a client certificate signed by that CA', async () => {
    const cli = await runCli(
      runTritonCli([
        ...['--port', '0', '--model', 'm:generic'],
        ...['--tls-cert', files.serverCert, '--tls-key', files.serverKey, '--tls-ca', files.ca],
      ]),
    );
    try {
      const url = `${cli.url}/v2/health/ready`;
      const noCertificate = http.withTls({ caFile: files.ca });
      await expect(noCertificate.bytes({ url })).rejects.toThrow(/ssl_certificate/);
      const withCertificate = http.withTls({ caFile: files.ca, certFile: files.clientBundle });
      expect((await withCertificate.bytes({ url })).status).toBe(200);
    } finally {
      await cli.stop();
    }
  });

  it('refuses --tls-cert without --tls-key, naming both', async () => {
    await expect(runVllmCli(['--tls-cert', files.serverCert])).rejects.toThrow(
      /--tls-cert and --tls-key go together/,
    );
  });
});
