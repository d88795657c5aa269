import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultsPresent } from '../src/defaults-present.ts';

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

describe('telling stored data that already holds its defaults', () => {
  it('follows properties, list items, nullable values and shared definitions', () => {
    const note = z.object({ text: z.string(), pinned: z.boolean().default(false) }).meta({ id: 'Note' });
    const present = defaultsPresent(
      jsonSchema(
        z.object({ notes: z.array(note), main: note.nullable(), tags: z.array(z.string()).default([]) }),
      ),
    )!;
    expect(present({ notes: [{ text: 'a', pinned: true }], main: null, tags: [] })).toBe(true);
    expect(present({ notes: [{ text: 'a' }], main: null, tags: [] })).toBe(false);
    expect(present({ notes: [], main: { text: 'b' }, tags: [] })).toBe(false);
    expect(present({ notes: [], main: null })).toBe(false);
  });

  it('gives up where a default sits under anything else: the schema reads such data', () => {
    const values = z.object({ byKey: z.record(z.string(), z.object({ x: z.number().default(1) })) });
    expect(defaultsPresent(jsonSchema(values))).toBeNull();
    // Named fields, and any other key's value with a default of its own.
    const open = z.object({ name: z.string() }).catchall(z.object({ x: z.number().default(1) }));
    expect(defaultsPresent(jsonSchema(open))).toBeNull();
    const union = z.object({
      payload: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('a'), flag: z.boolean().default(false) }),
        z.object({ kind: z.literal('b') }),
      ]),
    });
    expect(defaultsPresent(jsonSchema(union))).toBeNull();
  });
});
