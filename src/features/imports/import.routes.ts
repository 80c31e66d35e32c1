import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../shared/api-errors.js';
import { AppError } from '../../shared/errors.js';
import {
  exportEntitySchema,
  exportQuerySchema,
  importEntitySchema,
  importIdParamsSchema,
  importListSchema,
  importSummarySchema,
  mappingSchema,
  previewSchema,
  savedMappingInputSchema,
  savedMappingSchema,
  type ImportEntity,
  type MappingInput,
} from './import.schema.js';
import type { ImportService } from './import.service.js';

const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

interface Upload {
  path: string;
  fileName: string;
  fields: Record<string, string>;
}

/** Saves the multipart upload to a file (never in memory) and collects the text fields, in any order. */
async function receiveUpload(request: FastifyRequest, imports: ImportService): Promise<Upload> {
  if (!request.isMultipart()) throw new AppError('bad_request', 'Send the file as multipart/form-data with a "file" part.');
  const fields: Record<string, string> = {};
  let upload: { path: string; fileName: string } | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (upload) {
          part.file.resume();
          throw new AppError('bad_request', 'Send one file per import.');
        }
        const path = imports.uploadPath();
        upload = { path, fileName: part.filename || 'upload.csv' };
        await pipeline(part.file, createWriteStream(path));
        if (part.file.truncated) throw new AppError('payload_too_large', 'The file is larger than 2 GB.');
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (upload) await rm(upload.path, { force: true });
    if (error instanceof AppError) throw error;
    throw new AppError('bad_request', `The upload could not be read: ${(error as Error).message}`);
  }
  if (!upload) throw new AppError('validation_failed', 'The request has no "file" part.', { parameter: 'file' });
  return { ...upload, fields };
}

async function uploadOptions(upload: Upload, imports: ImportService): Promise<{ entity: ImportEntity; mapping: MappingInput | null }> {
  const entity = importEntitySchema.safeParse(upload.fields.entity);
  if (!entity.success) {
    throw new AppError('validation_failed', 'Invalid body field entity: accounts, contacts, transactions or interactions', { parameter: 'entity' });
  }
  let mapping: MappingInput | null = null;
  if (upload.fields.mappingId) {
    const id = Number(upload.fields.mappingId);
    if (!Number.isInteger(id) || id <= 0) throw new AppError('validation_failed', 'Invalid body field mappingId', { parameter: 'mappingId' });
    mapping = (await imports.getMapping(id)).mapping;
  } else if (upload.fields.mapping) {
    let value: unknown;
    try {
      value = JSON.parse(upload.fields.mapping);
    } catch {
      throw new AppError('validation_failed', 'Invalid body field mapping: not JSON', { parameter: 'mapping' });
    }
    const parsed = mappingSchema.safeParse(value);
    if (!parsed.success) {
      throw new AppError('validation_failed', `Invalid body field mapping: ${parsed.error.issues[0]?.message ?? 'invalid'}`, { parameter: 'mapping' });
    }
    mapping = parsed.data;
  }
  return { entity: entity.data, mapping };
}

const attachment = (name: string): string => `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export const importRoutes =
  (imports: ImportService): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20 } });
    app.addHook('onClose', async () => imports.idle());

    app.post(
      '/api/imports',
      {
        schema: {
          tags: ['imports'],
          summary: 'Upload a CSV or XLSX file and import it in the background (multipart: file, entity, mapping JSON or mappingId)',
          consumes: ['multipart/form-data'],
          response: { 202: importSummarySchema, ...errorResponses, 409: errorResponses[400] },
        },
      },
      async (request, reply) => {
        const upload = await receiveUpload(request, imports);
        try {
          const { entity, mapping } = await uploadOptions(upload, imports);
          const summary = await imports.startImport({ filePath: upload.path, fileName: upload.fileName, entity, mapping, removeFileAfter: true });
          return reply.status(202).send(summary);
        } catch (error) {
          await rm(upload.path, { force: true });
          throw error;
        }
      },
    );

    app.post(
      '/api/imports/preview',
      {
        schema: {
          tags: ['imports'],
          summary: 'First rows of an uploaded file with the guessed (or given) mapping and the problems found',
          consumes: ['multipart/form-data'],
          response: { 200: previewSchema, ...errorResponses },
        },
      },
      async (request) => {
        const upload = await receiveUpload(request, imports);
        try {
          const { entity, mapping } = await uploadOptions(upload, imports);
          const rows = upload.fields.rows ? Math.min(Math.max(Number(upload.fields.rows) || 20, 1), 200) : 20;
          return await imports.preview({ filePath: upload.path, fileName: upload.fileName, entity, mapping, rows });
        } finally {
          await rm(upload.path, { force: true });
        }
      },
    );

    app.get(
      '/api/imports',
      {
        schema: {
          tags: ['imports'],
          summary: 'Import history, newest first',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
          response: { 200: importListSchema, ...errorResponses },
        },
      },
      async (request) => ({ items: await imports.listImports(request.query.limit) }),
    );

    app.get(
      '/api/imports/:id',
      {
        schema: {
          tags: ['imports'],
          summary: 'Progress and result of one import',
          params: importIdParamsSchema,
          response: { 200: importSummarySchema, ...errorResponses },
        },
      },
      (request) => imports.getImport(request.params.id),
    );

    app.get(
      '/api/imports/:id/errors',
      {
        schema: {
          tags: ['imports'],
          summary: 'The error report of an import as CSV: row, column, value, message',
          params: importIdParamsSchema,
        },
      },
      async (request, reply) => {
        const report = await imports.errorReport(request.params.id);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', attachment(`import-${request.params.id}-errors.csv`))
          .send(Readable.from(report));
      },
    );

    app.get(
      '/api/import-mappings',
      { schema: { tags: ['imports'], summary: 'Saved column mappings', response: { 200: z.object({ items: z.array(savedMappingSchema) }), ...errorResponses } } },
      async () => ({ items: await imports.listMappings() }),
    );
    app.post(
      '/api/import-mappings',
      {
        schema: {
          tags: ['imports'],
          summary: 'Save a column mapping for reuse',
          body: savedMappingInputSchema,
          response: { 201: savedMappingSchema, ...errorResponses, 409: errorResponses[400] },
        },
      },
      async (request, reply) => reply.status(201).send(await imports.createMapping(request.body)),
    );
    app.get(
      '/api/import-mappings/:id',
      { schema: { tags: ['imports'], summary: 'One saved mapping', params: importIdParamsSchema, response: { 200: savedMappingSchema, ...errorResponses } } },
      (request) => imports.getMapping(request.params.id),
    );
    app.put(
      '/api/import-mappings/:id',
      {
        schema: {
          tags: ['imports'],
          summary: 'Replace a saved mapping',
          params: importIdParamsSchema,
          body: savedMappingInputSchema,
          response: { 200: savedMappingSchema, ...errorResponses, 409: errorResponses[400] },
        },
      },
      (request) => imports.updateMapping(request.params.id, request.body),
    );
    app.delete(
      '/api/import-mappings/:id',
      { schema: { tags: ['imports'], summary: 'Delete a saved mapping', params: importIdParamsSchema } },
      async (request, reply) => {
        await imports.deleteMapping(request.params.id);
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/exports/:entity',
      {
        schema: {
          tags: ['imports'],
          summary: 'Export a filtered list as CSV or XLSX (streamed; cells that look like formulas are neutralised)',
          params: z.object({ entity: exportEntitySchema }),
          querystring: exportQuerySchema,
        },
      },
      async (request, reply) => {
        const { entity } = request.params;
        const query = request.query;
        const out = new PassThrough();
        void imports.exportTo(entity, query.format, query, out).catch((error: unknown) => {
          request.log.error({ err: error }, 'export failed');
          out.destroy(error as Error);
        });
        const type =
          query.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8';
        return reply.type(type).header('content-disposition', attachment(`${entity}.${query.format}`)).send(out);
      },
    );
  };
