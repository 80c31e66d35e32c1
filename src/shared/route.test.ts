import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorBodySchema } from './api-errors.js';
import { readErrors, route, writeErrors } from './route.js';

describe('route', () => {
  const thing = z.object({ id: z.number() });

  it('puts the access in config and merges the error answers into the response', () => {
    const options = route({
      access: { permission: { resource: 'segments', action: 'create' }, auditedBy: 'service' },
      tags: ['segments'],
      summary: 'Save',
      body: thing,
      response: { 201: thing },
      errors: writeErrors,
    });
    expect(options.config).toEqual({ permission: { resource: 'segments', action: 'create' }, auditedBy: 'service' });
    expect(options.schema).toEqual({
      tags: ['segments'],
      summary: 'Save',
      body: thing,
      response: { 201: thing, ...writeErrors },
    });
  });

  it('adds no response when there is none to describe', () => {
    const options = route({ access: { signedIn: true }, tags: ['x'], summary: 'Gone' });
    expect(options.schema).toEqual({ tags: ['x'], summary: 'Gone' });
    expect('response' in options.schema).toBe(false);
  });

  it('keeps the error sets apart: a write can also answer 409', () => {
    expect(Object.keys(readErrors).sort()).toEqual(['400', '401', '403', '404', '500']);
    expect(writeErrors[409]).toBe(errorBodySchema);
  });
});
