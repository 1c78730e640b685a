import { UnsupportedParamsError } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostedVllmProvider } from '../src/index';
import { collect, contextFor, deepFreeze, rejection } from './support/context';
import {
  json,
  type ScriptedServer,
  type SeenRequest,
  sse,
  startScriptedServer,
  text,
} from './support/scripted-server';

const completionChunk = (t: string, finish: string | null) => ({
  id: 'cmpl-1',
  object: 'text_completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, text: t, logprobs: null, finish_reason: finish, stop_reason: null }],
  usage: null,
});

function answer(req: SeenRequest) {
  if (req.path === '/v1/completions') {
    const body = req.json as { stream: boolean };
    if (body.stream) {
      return sse([
        completionChunk(' world', null),
        completionChunk('!', 'length'),
        {
          ...completionChunk('', null),
          choices: [],
          usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
        },
      ]);
    }
    return json({
      ...completionChunk(' world!', 'length'),
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    });
  }
  if (req.path === '/rerank') {
    return json({
      id: 'rerank-abc',
      model: 'm',
      usage: { total_tokens: 56 },
      results: [
        {
          index: 2,
          document: { text: 'Washington, D.C. is the capital of the United States.' },
          relevance_score: 0.99,
        },
        {
          index: 0,
          document: { text: 'Carson City is the capital city of Nevada.' },
          relevance_score: 0.2,
        },
        { index: 1, relevance_score: 0.01 },
      ],
    });
  }
  if (req.path === '/v1/audio/transcriptions') {
    const raw = req.raw.toString('latin1');
    if (raw.includes('name="response_format"\r\n\r\ntext')) return text('hello there\n');
    return json({ text: 'hello there', usage: { type: 'duration', seconds: 2 } });
  }
  return json({ detail: 'Not Found' }, 404);
}

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer(answer);
});
afterAll(() => server.close());
const last = () => server.requests.at(-1)!;

describe('text completions', () => {
  it('posts to /v1/completions and returns the answer as sent', async () => {
    const { data } = await hostedVllmProvider.textCompletion!(
      deepFreeze({ model: 'hosted_vllm/m', prompt: 'Hello', max_tokens: 2, top_k: 5 }),
      contextFor(`${server.url}/v1`),
    );
    expect(last().json).toEqual({
      model: 'facebook/opt-125m',
      prompt: 'Hello',
      max_tokens: 2,
      top_k: 5,
      stream: false,
    });
    expect(data.choices[0]).toMatchObject({ text: ' world!', finish_reason: 'length' });
    expect(data.usage).toEqual({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
  });

  it('streams chunks and the usage chunk', async () => {
    const { stream } = await hostedVllmProvider.textCompletionStream!(
      { model: 'hosted_vllm/m', prompt: 'Hello', stream_options: { include_usage: true } },
      contextFor(server.url),
    );
    const chunks = await collect(stream);
    expect(chunks.map(c => c.choices[0]?.text ?? null)).toEqual([' world', '!', null]);
    expect(chunks.map(c => c.choices[0]?.finish_reason ?? null)).toEqual([null, 'length', null]);
    expect(chunks[2]!.usage).toEqual({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
    expect(last().json).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });
});

describe('rerank', () => {
  const documents = [
    'Carson City is the capital city of Nevada.',
    'The Commonwealth of the Northern Mariana Islands is a group of islands in the Pacific Ocean.',
    'Washington, D.C. is the capital of the United States.',
  ];

  it('calls /rerank (not /v1/rerank) and answers in Cohere shape with top_n', async () => {
    const { data } = await hostedVllmProvider.rerank!(
      { model: 'hosted_vllm/reranker', query: 'capital of the US?', documents, top_n: 2 },
      contextFor(`${server.url}/v1/`),
    );
    expect(last().path).toBe('/rerank');
    expect(last().json).toEqual({
      model: 'facebook/opt-125m',
      query: 'capital of the US?',
      documents,
      top_n: 2,
    });
    expect(data).toEqual({
      id: 'rerank-abc',
      results: [
        { index: 2, relevance_score: 0.99, document: { text: documents[2] } },
        {
          index: 0,
          relevance_score: 0.2,
          document: { text: 'Carson City is the capital city of Nevada.' },
        },
      ],
      meta: { billed_units: { total_tokens: 56 }, tokens: { input_tokens: 56 } },
    });
  });

  it('leaves documents out when return_documents is false, and takes {text} documents', async () => {
    const { data } = await hostedVllmProvider.rerank!(
      {
        model: 'r',
        query: 'q',
        documents: documents.map(t => ({ text: t })),
        return_documents: false,
      },
      contextFor(server.url),
    );
    expect((last().json as { documents: unknown }).documents).toEqual(documents);
    expect(data.results.map(r => r.index)).toEqual([2, 0, 1]);
    expect(data.results.every(r => r.document === undefined)).toBe(true);
  });

  it('refuses max_chunks_per_doc unless drop_params', async () => {
    const request = { model: 'r', query: 'q', documents, max_chunks_per_doc: 2 };
    const error = await rejection(hostedVllmProvider.rerank!(request, contextFor(server.url)));
    expect(UnsupportedParamsError.isInstance(error)).toBe(true);
    expect(error.param).toBe('max_chunks_per_doc');
    await hostedVllmProvider.rerank!(request, contextFor(server.url, { dropParams: true }));
    expect(last().json).not.toHaveProperty('max_chunks_per_doc');
  });
});

describe('transcription', () => {
  const audio = new Uint8Array([82, 73, 70, 70, 1, 2, 3]);

  it('uploads the file and fields as multipart to /v1/audio/transcriptions', async () => {
    const { data } = await hostedVllmProvider.transcription!(
      {
        model: 'hosted_vllm/whisper',
        file: { data: audio, filename: 'audio.wav' },
        language: 'en',
        temperature: 0,
      },
      contextFor(`${server.url}/v1`, { apiKey: 'sk-1' }),
    );
    expect(data).toEqual({ text: 'hello there', usage: { type: 'duration', seconds: 2 } });
    const req = last();
    expect(req.path).toBe('/v1/audio/transcriptions');
    expect(req.headers.authorization).toBe('Bearer sk-1');
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Response(new Uint8Array(req.raw), {
      headers: { 'content-type': req.headers['content-type']! },
    }).formData();
    expect(form.get('model')).toBe('facebook/opt-125m');
    expect(form.get('language')).toBe('en');
    expect(form.get('temperature')).toBe('0');
    const file = form.get('file') as File;
    expect(file.name).toBe('audio.wav');
    expect(file.type).toBe('audio/wav');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(audio);
  });

  it('returns a plain-text answer as { text }', async () => {
    const { data } = await hostedVllmProvider.transcription!(
      { model: 'w', file: { data: audio, filename: 'a.mp3' }, response_format: 'text' },
      contextFor(server.url),
    );
    expect(data).toEqual({ text: 'hello there\n' });
  });
});
