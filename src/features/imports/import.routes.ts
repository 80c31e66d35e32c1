import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema, errorResponses } from '../../shared/api-errors.js';
import { accountExportQuerySchema } from '../accounts/index.js';
import { actorScope, requireActor, requireScope, type Actor } from '../auth/index.js';
import { AppError } from '../../shared/errors.js';
import {
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
import type { ExportAccess, ImportService } from './import.service.js';

/** Every route declares its permission for the auth plugin (deny by default); these are its error answers. */
const responses = { ...errorResponses, 401: errorBodySchema, 403: errorBodySchema, 409: errorBodySchema };
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const importsRead = { permission: { resource: 'imports', action: 'read' } } as const;
const importsCreate = { permission: { resource: 'imports', action: 'create' } } as const;

/** Importing rows of an entity also needs that entity's import permission (transactions: import, …). */
function checkEntityImport(request: FastifyRequest, entity: ImportEntity): void {
  if (request.actor) requireScope(request.actor, entity, 'import');
}

/** The actor's export scope for the entity, and the columns its field masks hide. */
function exportAccess(actor: Actor | null | undefined, entity: 'accounts' | 'contacts' | 'transactions'): ExportAccess {
  if (!actor) return { scope: { kind: 'all' }, hiddenColumns: new Set() };
  const scope = actorScope(actor, entity, 'export') ?? requireScope(actor, entity, 'export');
  const hidden = new Set<string>();
  if (!actor.sees.personal && entity === 'contacts') for (const column of ['email', 'phone']) hidden.add(column);
  if (!actor.sees.commercial && entity === 'transactions') hidden.add('cost');
  return {
    scope:
      scope === 'all'
        ? { kind: 'all' }
        : scope === 'own'
          ? { kind: 'own', userId: actor.userId }
          : { kind: 'team', team: actor.team },
    hiddenColumns: hidden,
  };
}

const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

interface Upload {
  path: string;
  fileName: string;
  fields: Record<string, string>;
}

/** Saves the multipart upload to a file (never in memory) and collects the text fields, in any order. */
async function receiveUpload(request: FastifyRequest, imports: ImportService): Promise<Upload> {
  if (!request.isMultipart())
    throw new AppError('bad_request', 'Send the file as multipart/form-data with a "file" part.');
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

async function uploadOptions(
  upload: Upload,
  imports: ImportService,
): Promise<{ entity: ImportEntity; mapping: MappingInput | null }> {
  const entity = importEntitySchema.safeParse(upload.fields.entity);
  if (!entity.success) {
    throw new AppError(
      'validation_failed',
      'Invalid body field entity: accounts, contacts, transactions or interactions',
      { parameter: 'entity' },
    );
  }
  let mapping: MappingInput | null = null;
  if (upload.fields.mappingId) {
    const id = Number(upload.fields.mappingId);
    if (!Number.isInteger(id) || id <= 0)
      throw new AppError('validation_failed', 'Invalid body field mappingId', { parameter: 'mappingId' });
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
      throw new AppError(
        'validation_failed',
        `Invalid body field mapping: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
        { parameter: 'mapping' },
      );
    }
    mapping = parsed.data;
  }
  return { entity: entity.data, mapping };
}

const attachment = (name: string): string =>
  `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export const importRoutes =
  (imports: ImportService): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20 } });
    app.addHook('onClose', async () => imports.stop());

    app.post(
      '/api/imports',
      {
        config: importsCreate,
        schema: {
          tags: ['imports'],
          summary:
            'Upload a CSV or XLSX file and import it in the background (multipart: file, entity, mapping JSON or mappingId)',
          consumes: ['multipart/form-data'],
          response: { 202: importSummarySchema, ...responses },
        },
      },
      async (request, reply) => {
        const upload = await receiveUpload(request, imports);
        try {
          const { entity, mapping } = await uploadOptions(upload, imports);
          checkEntityImport(request, entity);
          const summary = await imports.startImport({
            filePath: upload.path,
            fileName: upload.fileName,
            entity,
            mapping,
            removeFileAfter: true,
            startedBy: requireActor(request).userId,
          });
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
        config: importsCreate,
        schema: {
          tags: ['imports'],
          summary: 'First rows of an uploaded file with the guessed (or given) mapping and the problems found',
          consumes: ['multipart/form-data'],
          response: { 200: previewSchema, ...responses },
        },
      },
      async (request) => {
        const upload = await receiveUpload(request, imports);
        try {
          const { entity, mapping } = await uploadOptions(upload, imports);
          checkEntityImport(request, entity);
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
        config: importsRead,
        schema: {
          tags: ['imports'],
          summary: "Import history within the role's imports scope (own, team or all), newest first",
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
          response: { 200: importListSchema, ...responses },
        },
      },
      async (request) => ({ items: await imports.listImports(requireActor(request), request.query.limit) }),
    );

    app.get(
      '/api/imports/:id',
      {
        config: importsRead,
        schema: {
          tags: ['imports'],
          summary: 'Progress and result of one import',
          params: importIdParamsSchema,
          response: { 200: importSummarySchema, ...responses },
        },
      },
      (request) => imports.getImport(requireActor(request), request.params.id),
    );

    app.get(
      '/api/imports/:id/errors',
      {
        config: importsRead,
        schema: {
          tags: ['imports'],
          summary: 'The error report of an import as CSV: row, column, value, message',
          params: importIdParamsSchema,
        },
      },
      async (request, reply) => {
        const report = await imports.errorReport(requireActor(request), request.params.id);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', attachment(`import-${request.params.id}-errors.csv`))
          .send(Readable.from(report));
      },
    );

    app.get(
      '/api/import-mappings',
      {
        config: importsRead,
        schema: {
          tags: ['imports'],
          summary: 'Saved column mappings',
          response: { 200: z.object({ items: z.array(savedMappingSchema) }), ...responses },
        },
      },
      async () => ({ items: await imports.listMappings() }),
    );
    app.post(
      '/api/import-mappings',
      {
        config: importsCreate,
        schema: {
          tags: ['imports'],
          summary: 'Save a column mapping for reuse',
          body: savedMappingInputSchema,
          response: { 201: savedMappingSchema, ...responses },
        },
      },
      async (request, reply) => reply.status(201).send(await imports.createMapping(request.body)),
    );
    app.get(
      '/api/import-mappings/:id',
      {
        config: importsRead,
        schema: {
          tags: ['imports'],
          summary: 'One saved mapping',
          params: importIdParamsSchema,
          response: { 200: savedMappingSchema, ...responses },
        },
      },
      (request) => imports.getMapping(request.params.id),
    );
    app.put(
      '/api/import-mappings/:id',
      {
        config: importsCreate,
        schema: {
          tags: ['imports'],
          summary: 'Replace a saved mapping',
          params: importIdParamsSchema,
          body: savedMappingInputSchema,
          response: { 200: savedMappingSchema, ...responses },
        },
      },
      (request) => imports.updateMapping(request.params.id, request.body),
    );
    app.delete(
      '/api/import-mappings/:id',
      {
        config: importsCreate,
        schema: { tags: ['imports'], summary: 'Delete a saved mapping', params: importIdParamsSchema },
      },
      async (request, reply) => {
        await imports.deleteMapping(request.params.id);
        return reply.status(204).send();
      },
    );

    const exportType = { csv: 'text/csv; charset=utf-8', xlsx: XLSX_TYPE } as const;
    const exportSummary = (entity: string) =>
      `Export ${entity} as CSV or XLSX with the list's filters (streamed; cells that look like formulas are neutralised)`;
    app.get(
      '/api/exports/accounts',
      {
        config: { permission: { resource: 'accounts', action: 'export' } },
        schema: {
          tags: ['imports'],
          summary: `${exportSummary('accounts')}; the filter is the account list's (docs/lists.md)`,
          querystring: accountExportQuerySchema,
        },
      },
      async (request, reply) => {
        const { format, filter } = request.query;
        const out = new PassThrough();
        const { done } = await imports.startExport(
          { entity: 'accounts', filter },
          format,
          out,
          exportAccess(request.actor, 'accounts'),
        );
        void done.catch((error: unknown) => {
          request.log.error({ err: error }, 'export failed');
          out.destroy(error as Error);
        });
        return reply
          .type(exportType[format])
          .header('content-disposition', attachment(`accounts.${format}`))
          .send(out);
      },
    );
    for (const entity of ['contacts', 'transactions'] as const) {
      app.get(
        `/api/exports/${entity}`,
        {
          config: { permission: { resource: entity, action: 'export' } },
          schema: { tags: ['imports'], summary: exportSummary(entity), querystring: exportQuerySchema },
        },
        async (request, reply) => {
          const query = request.query;
          const out = new PassThrough();
          const { done } = await imports.startExport(
            { entity, query },
            query.format,
            out,
            exportAccess(request.actor, entity),
          );
          void done.catch((error: unknown) => {
            request.log.error({ err: error }, 'export failed');
            out.destroy(error as Error);
          });
          return reply
            .type(exportType[query.format])
            .header('content-disposition', attachment(`${entity}.${query.format}`))
            .send(out);
        },
      );
    }
  };
