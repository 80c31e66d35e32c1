import { z } from 'zod';

/** Opaque keyset cursor: the sort value and id of the last row of the previous page. */
export const cursorPayload = z.object({ v: z.union([z.string(), z.number(), z.null()]), id: z.number() });
export type CursorPayload = z.infer<typeof cursorPayload>;

export const encodeCursor = (payload: CursorPayload): string =>
  Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');

export function decodeCursor(cursor: string): CursorPayload | null {
  try {
    const parsed = cursorPayload.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
