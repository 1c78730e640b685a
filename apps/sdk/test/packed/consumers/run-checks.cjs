// What the ESM and the CommonJS consumer both do, with the modules each
// loaded its own way (`import` or `require`): start an emulator, call it
// through the SDK, a Router keeping its state in Redis, and the proxy with a
// custom provider, and use the KV-events package (msgpack and ZeroMQ). Each
// step records what it saw; the test asserts on the report.

const MODEL = 'facebook/opt-125m';
const messages = [{ role: 'user', content: 'Hello' }];

/** The thrown error as the consumer's own copy of the error classes sees it. */
function errorSeen(sdk, error, ErrorClass) {
  return {
    name: error?.name,
    status: error?.status,
    isInstance: ErrorClass.isInstance(error),
    isSwitchyardError: sdk.isSwitchyardError(error),
  };
}

async function sdkChecks(sdk, apiBase) {
  const model = `hosted_vllm/${MODEL}`;
  const answer = await sdk.completion({ model, messages, api_base: apiBase });
  const report = { content: answer.choices[0].message.content };
  try {
    await sdk.completion({ model, messages: 'not a list', api_base: apiBase });
  } catch (error) {
    report.badRequest = errorSeen(sdk, error, sdk.BadRequestError);
  }
  // Thrown inside the provider package, which the SDK loads with import().
  try {
    await sdk.completion({ model: 'hosted_vllm/no-such-model', messages, api_base: apiBase });
  } catch (error) {
    report.notFound = errorSeen(sdk, error, sdk.NotFoundError);
  }
  return report;
}

async function redisRouterCheck(sdk, apiBase, format) {
  const router = sdk.createRouter({
    model_list: [
      { model_name: 'm', litellm_params: { model: `hosted_vllm/${MODEL}`, api_base: apiBase } },
    ],
    redis_url: 'redis://127.0.0.1:6379',
    redis_key_prefix: `switchyard-packed-${format}-${process.pid}:`,
  });
  try {
    // The SDK's Router answers the completion itself; routing is in its metadata.
    const answer = await router.completion({ model: 'm', messages });
    return {
      inRedis: router.state instanceof sdk.RedisRouterState,
      content: answer.choices[0].message.content,
      routedTo: sdk.getResponseMeta(answer)?.routing?.attempts?.length ?? 0,
    };
  } finally {
    await router.close();
  }
}

async function kvEventsCheck(kvEvents) {
  const bytes = kvEvents.encodeEventBatch({ ts: 1, events: [{ type: 'AllBlocksCleared' }] });
  const decoded = kvEvents.decodeEventBatch(bytes);
  const publisher = await kvEvents.KvEventPublisher.bind({ endpoint: 'tcp://127.0.0.1:*' });
  const endpoint = publisher.endpoint;
  await publisher.close();
  return { events: decoded.events.map(event => event.type), endpoint };
}

async function proxyChecks(proxy, apiBase, baseDir) {
  const { config } = proxy.parseConfig({
    providers: ['./echo-provider.cjs'],
    model_list: [
      { model_name: 'vllm', litellm_params: { model: `hosted_vllm/${MODEL}`, api_base: apiBase } },
      { model_name: 'custom', litellm_params: { model: `myserver/${MODEL}`, api_base: apiBase } },
    ],
  });
  const running = await proxy.startProxy({
    config,
    baseDir,
    host: '127.0.0.1',
    port: 0,
    logger: proxy.createLogger({ level: 'silent' }),
  });
  try {
    const report = { customProviders: running.customProviders };
    for (const model of ['vllm', 'custom']) {
      const response = await fetch(`${running.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages }),
      });
      const body = await response.json();
      report[model] = { status: response.status, content: body.choices?.[0]?.message?.content };
    }
    return report;
  } finally {
    await running.close();
  }
}

/**
 * Runs every check; `modules` holds the packages as the consumer loaded
 * them, `resolve` is its module system's resolver.
 */
async function runChecks({ format, modules, resolve, baseDir }) {
  const { testing, sdk, proxy, kvEvents } = modules;
  const resolved = {};
  for (const name of Object.keys(modules.all)) resolved[name] = String(resolve(name));
  const emulator = await testing.startVllmEmulator({ model: MODEL });
  try {
    return {
      format,
      resolved,
      sdk: await sdkChecks(sdk, emulator.url),
      redis: await redisRouterCheck(sdk, emulator.url, format),
      kvEvents: await kvEventsCheck(kvEvents),
      proxy: await proxyChecks(proxy, emulator.url, baseDir),
    };
  } finally {
    await emulator.close();
  }
}

module.exports = { runChecks };
