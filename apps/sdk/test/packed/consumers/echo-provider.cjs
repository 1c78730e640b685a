// A third-party provider written as a CommonJS module, as docs/custom-provider.md
// shows it: chat through the shared HTTP seam to an OpenAI-compatible server.
// The proxy loads it from its `providers:` list.
exports.provider = {
  id: 'myserver',
  async chat(request, ctx) {
    const { data, headers } = await ctx.http.json({
      url: `${ctx.apiBase}/v1/chat/completions`,
      json: { ...request, model: ctx.model },
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
      provider: 'myserver',
      model: ctx.model,
    });
    return { data, headers };
  },
};
