import { describe, expect, it } from 'vitest';
import { cleanSchema, cleanTools } from './clean-tools';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('cleanTools', () => {
  it('removes strict and additionalProperties:false as keywords, keeps a property named strict', () => {
    const tools = deepFreeze([
      {
        type: 'function',
        function: {
          name: 'lookup',
          strict: true,
          parameters: {
            type: 'object',
            strict: true,
            additionalProperties: false,
            properties: {
              strict: { type: 'boolean', description: 'a field called strict' },
              additionalProperties: { type: 'string' },
              filter: {
                type: 'object',
                additionalProperties: false,
                properties: { q: { type: 'string' } },
              },
              tags: {
                type: 'array',
                items: { type: 'object', additionalProperties: false, strict: false },
              },
              either: {
                anyOf: [{ type: 'object', additionalProperties: false }, { type: 'null' }],
              },
              open: { type: 'object', additionalProperties: { type: 'number' } },
              loose: { type: 'object', additionalProperties: true },
            },
            required: ['strict'],
            $defs: { Inner: { type: 'object', additionalProperties: false } },
          },
        },
      },
    ]);
    const [tool] = cleanTools(tools) as [{ function: Record<string, unknown> }];
    expect(tool.function.strict).toBeUndefined();
    expect(tool.function.parameters).toEqual({
      type: 'object',
      properties: {
        strict: { type: 'boolean', description: 'a field called strict' },
        additionalProperties: { type: 'string' },
        filter: { type: 'object', properties: { q: { type: 'string' } } },
        tags: { type: 'array', items: { type: 'object' } },
        either: { anyOf: [{ type: 'object' }, { type: 'null' }] },
        open: { type: 'object', additionalProperties: { type: 'number' } },
        loose: { type: 'object', additionalProperties: true },
      },
      required: ['strict'],
      $defs: { Inner: { type: 'object' } },
    });
  });

  it('leaves data keywords alone', () => {
    const schema = {
      type: 'object',
      default: { strict: true, additionalProperties: false },
      enum: [{ strict: 1 }],
    };
    expect(cleanSchema(schema)).toEqual(schema);
  });

  it('turns custom tools into function tools', () => {
    const out = cleanTools([
      { type: 'custom', custom: { name: 'grep', description: 'search' } },
      { type: 'custom' },
    ]);
    expect(out[0]).toEqual({
      type: 'function',
      function: {
        name: 'grep',
        description: 'search',
        parameters: {
          type: 'object',
          properties: { input: { type: 'string', description: 'Raw tool input payload.' } },
          required: ['input'],
        },
      },
    });
    expect((out[1] as { function: { name: string } }).function.name).toBe('custom_tool_1');
  });
});
