// The admin API of where to buy and of today's units (issue 12): the same forms, scopes and
// audit as the UI (admin/pages/sales-point-pages.tsx, unit-pages.tsx), declared for the
// OpenAPI document like every operation in admin/api-operations.ts.
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { jsonResponse, problemResponses } from '../worker/api/openapi';
import { createSalesPoint, deleteSalesPoint, getSalesPoint, listSalesPoints, updateSalesPoint } from '../worker/db/sales-points';
import { createCurrentUnit, listCurrentUnits } from '../worker/db/unit-admin';
import { SALES_POINT_KINDS, UNIT_TYPES } from '../worker/domain/vocabulary';
import { data } from './api-schemas';
import { actorOf, principalOf, scopeOf } from './context';
import { found } from './request';
import type { DocumentedRouteTable } from './route-table';
import { salesPointForm, unitForm } from './sales-point-forms';

const id = z.int().min(1);
const instant = z.iso.datetime();

export const salesPointSchema = z
  .object({
    id,
    kind: z.enum(SALES_POINT_KINDS),
    name: z.string(),
    producer_id: id.nullable(),
    address_line: z.string().nullable(),
    unit_id: z.string().nullable().meta({ description: 'The unit the point is in today.' }),
    former_unit_id: z.string().nullable().meta({ description: 'The unit it lay in before 1 July 2025 (usually a former district).' }),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    opening_hours: z.string().nullable(),
    phone: z.string().nullable(),
    url: z.string().nullable(),
    note: z.string().nullable(),
    illustrative: z.boolean(),
    created_at: instant,
    updated_at: instant,
  })
  .meta({ id: 'SalesPoint' });

export const salesPointRowSchema = salesPointSchema
  .extend({ producer_name: z.string().nullable(), unit_name: z.string().nullable(), former_unit_name: z.string().nullable(), products: z.int().min(0) })
  .meta({ id: 'SalesPointRow' });

export const salesPointDetailSchema = salesPointRowSchema.extend({ product_ids: z.array(id) }).meta({ id: 'SalesPointDetail' });

export const unitSchema = z
  .object({
    id: z.string(),
    gso_code: z.string().nullable(),
    name: z.string(),
    unit_type: z.enum(UNIT_TYPES),
    level: z.enum(['province', 'district', 'commune']),
    parent_id: z.string().nullable(),
    valid_from: z.iso.date().nullable(),
    valid_to: z.iso.date().nullable(),
    successor_id: z.string().nullable(),
  })
  .meta({ id: 'AdminUnit' });

export const currentUnitSchema = unitSchema
  .extend({
    parent_name: z.string().nullable(),
    predecessors: z.array(z.object({ id: z.string(), name: z.string(), unit_type: z.string(), parent_name: z.string().nullable() })),
    producers: z.int().min(0),
  })
  .meta({ id: 'CurrentUnit' });

function present(v: unknown): unknown {
  return v === '' || v === undefined ? undefined : v;
}

const salesPointQuery = z
  .object({
    kind: z.preprocess(present, z.enum(SALES_POINT_KINDS).optional()),
    producer: z.preprocess(present, z.coerce.number().int().min(1).max(2_147_483_647).optional()),
    q: z.preprocess(present, z.string().max(100).optional()),
  })
  .transform((v) => ({ kind: v.kind, producerId: v.producer, q: v.q }));

const idParams = z.object({ id: z.string().regex(/^[0-9]+$/).refine((s) => Number(s) >= 1 && Number(s) <= 2_147_483_647).transform(Number) });
const body = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const invalidBody = { 400: 'The body is not a JSON object (`invalid_json`) or fails its schema (`invalid_input`), or breaks a rule (coordinates outside Vietnam, an online shop without an https link, …).' };
const TAG = 'Nơi bán / Where to buy';

export const listSalesPointsOp = createRoute({
  method: 'get', path: '/sales-points', tags: [TAG], operationId: 'listSalesPoints', summary: 'Danh sách nơi bán / List sales points',
  request: { query: salesPointQuery },
  responses: { 200: jsonResponse('The points in scope (a producer: their own).', data(z.array(salesPointRowSchema))), ...problemResponses({ 400: 'A filter does not parse (`bad_filter`).' }) },
});

export const createSalesPointOp = createRoute({
  method: 'post', path: '/sales-points', tags: [TAG], operationId: 'createSalesPoint', summary: 'Thêm nơi bán / Add a sales point',
  description: 'A producer\'s token records only the producer\'s own points (never a showroom), listing only its own products.',
  request: { body: body(salesPointForm) },
  responses: {
    201: jsonResponse('The point.', data(salesPointSchema)),
    ...problemResponses({ ...invalidBody, 403: 'A showroom or another producer\'s products from a producer, or outside an area officer\'s district.', 404: 'An unknown unit, producer or product.' }),
  },
});

export const getSalesPointOp = createRoute({
  method: 'get', path: '/sales-points/{id{[0-9]+}}', tags: [TAG], operationId: 'getSalesPoint', summary: 'Một nơi bán / One sales point',
  request: { params: idParams },
  responses: { 200: jsonResponse('The point and the ids of the products sold there.', data(salesPointDetailSchema)), ...problemResponses({ 404: 'No such point, or outside the token\'s scope.' }) },
});

export const updateSalesPointOp = createRoute({
  method: 'put', path: '/sales-points/{id{[0-9]+}}', tags: [TAG], operationId: 'updateSalesPoint', summary: 'Sửa nơi bán / Edit a sales point',
  request: { params: idParams, body: body(salesPointForm) },
  responses: { 200: jsonResponse('The point.', data(salesPointSchema)), ...problemResponses({ ...invalidBody, 403: 'Another producer\'s point, a showroom (producers), or outside the district.', 404: 'No such point.' }) },
});

export const deleteSalesPointOp = createRoute({
  method: 'delete', path: '/sales-points/{id{[0-9]+}}', tags: [TAG], operationId: 'deleteSalesPoint', summary: 'Xóa nơi bán / Delete a sales point',
  request: { params: idParams },
  responses: { 204: { description: 'Deleted (audited with what it was).' }, ...problemResponses({ 403: 'Another producer\'s point, or a showroom (producers).', 404: 'No such point.' }) },
});

export const listUnitsOp = createRoute({
  method: 'get', path: '/units', tags: [TAG], operationId: 'listCurrentUnits', summary: 'Xã, phường hiện nay / Communes of today\'s province',
  responses: { 200: jsonResponse('The communes, wards and special zones of the provinces in force, with their predecessors.', data(z.array(currentUnitSchema))) },
});

export const createUnitOp = createRoute({
  method: 'post', path: '/units', tags: [TAG], operationId: 'createCurrentUnit', summary: 'Thêm xã, phường / Add a commune',
  description: 'Its id is made from its type and name (`c-2025-xa-…`). Predecessors without a successor get this unit as theirs.',
  request: { body: body(unitForm) },
  responses: { 201: jsonResponse('The unit.', data(unitSchema)), ...problemResponses({ ...invalidBody, 409: 'A unit of that type and name exists (`unit_id_taken`).' }) },
});

export function registerSalesPointApi(r: DocumentedRouteTable): void {
  r.route(listSalesPointsOp, 'salesPoints.view', async (c) => c.json({ data: await listSalesPoints(c.var.db, scopeOf(c), c.req.valid('query')) }, 200));
  r.route(createSalesPointOp, 'salesPoints.write', async (c) => c.json({ data: await createSalesPoint(c.var.db, actorOf(principalOf(c)), scopeOf(c), c.req.valid('json')) }, 201));
  r.route(getSalesPointOp, 'salesPoints.view', async (c) => c.json({ data: found(await getSalesPoint(c.var.db, scopeOf(c), c.req.valid('param').id)) }, 200));
  r.route(updateSalesPointOp, 'salesPoints.write', async (c) => {
    const row = await updateSalesPoint(c.var.db, actorOf(principalOf(c)), scopeOf(c), c.req.valid('param').id, c.req.valid('json'), c.var.clock());
    return c.json({ data: row }, 200);
  });
  r.route(deleteSalesPointOp, 'salesPoints.write', async (c) => {
    await deleteSalesPoint(c.var.db, actorOf(principalOf(c)), scopeOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  r.route(listUnitsOp, 'units.view', async (c) => c.json({ data: await listCurrentUnits(c.var.db) }, 200));
  r.route(createUnitOp, 'units.write', async (c) => c.json({ data: await createCurrentUnit(c.var.db, actorOf(principalOf(c)), c.req.valid('json')) }, 201));
}
