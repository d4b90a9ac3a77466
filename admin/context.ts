import type { Context } from 'hono';
import type { AppVariables } from '../worker/app-env';
import type { Actor } from '../worker/db/audit';
import { type Scope, scopeFor } from '../worker/db/scope';
import { todayInVietnam } from '../worker/domain/dates';
import type { Principal } from './permissions';

export type AdminVariables = AppVariables & {
  /** Set by the guard on every route that needs one; null only on public routes. */
  principal: Principal | null;
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
  return c.var.deps.clock();
}

export function todayOf(c: AdminContext): string {
  return todayInVietnam(c.var.deps.clock());
}
