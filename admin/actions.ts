import { zValidator } from '@hono/zod-validator';
import type { Context, Env, Handler, Input, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { fieldErrors, invalidInput, type FieldErrors } from '../worker/errors';
import type { AdminContext, AdminEnv } from './context';
import { badFilter } from './queries';
import { readForm } from './request';
import type { FormValues } from './ui/components';

/**
 * Runs zValidator on `target` inside the handler rather than as route middleware: an admin
 * handler loads what a form is about (404) before it reads the body, and gets the typed
 * result back here. As route middleware zValidator would type the context's input itself, so
 * it is handed the context as such; it reads only the request. A failure throws `reject`'s
 * error, with the messages by field, for the one error handler.
 */
async function validated<S extends z.ZodType>(c: AdminContext, target: 'form' | 'query', schema: S, reject: (fields: FieldErrors) => Error): Promise<z.output<S>> {
  let input: { value: z.output<S> } | undefined;
  const validate: MiddlewareHandler<Env, string, Input> = zValidator(target, schema, (r, _c: Context<Env>) => {
    if (!r.success) throw reject(fieldErrors(r.error));
    input = { value: r.data };
  });
  await validate(c as unknown as Parameters<typeof validate>[0], async () => {});
  if (input === undefined) throw new Error('zValidator finished without a result');
  return input.value;
}

/**
 * The body of a form post checked by zValidator. zValidator reads a form as `readForm` does
 * (repeated fields as arrays), so the schemas' coercions of form strings (checkboxes, blanks,
 * numbers) apply as before. A failure is `invalid_input`.
 */
export function validForm<S extends z.ZodType>(c: AdminContext, schema: S): Promise<z.output<S>> {
  return validated(c, 'form', schema, invalidInput);
}

/**
 * A list's query string checked by zValidator('query') (admin/queries.ts): a filter that is
 * not blank but wrong is a 400 `bad_filter`.
 */
export function validQuery<S extends z.ZodType>(c: AdminContext, schema: S): Promise<z.output<S>> {
  return validated(c, 'query', schema, badFilter);
}

/** What a form page needs to show itself again: the values as sent and what is wrong with them. */
export interface FormState {
  values: FormValues;
  errors: FieldErrors;
}

/** A page of hono/jsx (or any HTML string). */
type Html = string | Promise<string>;

interface FormActionSpec<S extends z.ZodType, T> {
  schema: S;
  /** What the form is about, loaded first: a missing one is the plain 404 page. */
  load?: (c: AdminContext) => Promise<T>;
  /** The form page, shown again with the values as sent and the errors. */
  page: (c: AdminContext, form: FormState, subject: T) => Html;
  /** The fields the page shows; a rule about any other field shows at the top. */
  fields: readonly string[];
  /** The form's date field, where a `future_date` rule lands. */
  dateField?: string;
  /** The write. Returns where to go next (303), or a page of its own (a confirmation step, a secret shown once). */
  act: (c: AdminContext, input: z.output<S>, subject: T) => Promise<string | Response>;
}

/**
 * An admin UI form post: load what it is about, validate the body (errors by field: the form
 * again, 400), run the write (a broken rule: the form again with the message on its field,
 * status by the rule's kind), then 303 to the next page. The form is shown again by the one
 * error handler (admin/routes.tsx), which finds it in `c.var.form`.
 */
export function formAction<S extends z.ZodType, T = undefined>(spec: FormActionSpec<S, T>): Handler<AdminEnv> {
  return async function formAction(c) {
    // T is undefined exactly when no loader is given (the default type argument).
    const subject = spec.load ? await spec.load(c) : (undefined as T);
    c.set('form', {
      fields: spec.fields,
      dateField: spec.dateField,
      show: async (errors, status) => c.html(await spec.page(c, { values: (await readForm(c)).values, errors }, subject), status),
    });
    const input = await validForm(c, spec.schema);
    const next = await spec.act(c, input, subject);
    return typeof next === 'string' ? c.redirect(next, 303) : next;
  };
}

/**
 * Clears the package-state cache after every successful change made by a signed-in person or
 * token, so scan pages never show what an admin has just changed (a revocation, a renamed
 * producer, a batch whose id was scanned, and cached as unknown, before it existed).
 */
export const invalidateAfterWrite: MiddlewareHandler<AdminEnv> = async function invalidateAfterWrite(c, next) {
  await next();
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return;
  if (c.res.status < 400 && c.get('principal')) c.var.cache.invalidate();
};
