import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppVariables } from '../worker/app-env';
import type { Actor } from '../worker/db/audit';
import { type Scope, scopeFor } from '../worker/db/scope';
import { todayInVietnam } from '../worker/domain/dates';
import type { FieldErrors } from '../worker/errors';
import type { Principal } from './permissions';

/** Set by a form action while it runs, so the error handler can show the form again instead of an error page. */
export interface OpenForm {
  /** The form page again, as it was sent, with these errors and this status. */
  show(errors: FieldErrors, status: ContentfulStatusCode): Promise<Response>;
  /** The fields the page shows: a rule about another field is shown at the top. */
  fields: readonly string[];
  /** Where `future_date` lands on this form. */
  dateField?: string | undefined;
}

export type AdminVariables = AppVariables & {
  /** Set by the guard on every route that needs one; null only on public routes. */
  principal: Principal | null;
  form?: OpenForm;
};

export type AdminEnv = { Variables: AdminVariables };
export type AdminContext = Context<AdminEnv>;

export function principalOf(c: AdminContext): Principal {
  const p = c.get('principal');
  // The guard runs before every non-public handler, so this only fires on a wiring mistake.
  if (!p) throw new Error('admin handler reached without a principal');
  return p;
}

export function actorOf(p: Principal): Actor {
  return { userId: p.userId, label: p.label };
}

export function scopeOf(c: AdminContext): Scope {
  return scopeFor(principalOf(c));
}

export function nowOf(c: AdminContext): Date {
  return c.var.clock();
}

export function todayOf(c: AdminContext): string {
  return todayInVietnam(c.var.clock());
}
