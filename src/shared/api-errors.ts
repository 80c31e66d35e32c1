import { z } from 'zod';
import { errorCatalogue, type ErrorCode } from './errors.js';

/** The JSON body of every error response, for route schemas and the OpenAPI document. */
export const errorBodySchema = z.object({
  code: z.enum(Object.keys(errorCatalogue) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  details: z.unknown().optional(),
});

export const errorResponses = {
  400: errorBodySchema,
  404: errorBodySchema,
  500: errorBodySchema,
} as const;
