// Demo accounts (the seed's, under the reserved `.demo` domain): removed before a deployment.
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database';
import { audit, type Actor } from './audit';

/** Demo accounts are the seed's: every one has an address under the reserved `.demo` domain. */
export const DEMO_EMAIL_DOMAIN = '@ocop.demo';

/**
 * Deletes every demo account and its API tokens in one transaction, audited per account.
 * Batches they issued stay, with their creator cleared (the audit log keeps who it was).
 */
export async function removeDemoAccounts(db: Kysely<Database>, actor: Actor): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const users = await trx.selectFrom('users').select(['id', 'email', 'role']).where('email', 'like', `%${DEMO_EMAIL_DOMAIN}`).orderBy('id').forUpdate().execute();
    if (users.length === 0) return [];
    const ids = users.map((u) => u.id);
    await trx.updateTable('package_batches').set({ created_by: null }).where('created_by', 'in', ids).execute();
    await trx.updateTable('api_tokens').set({ created_by: null }).where('created_by', 'in', ids).execute();
    await trx.deleteFrom('users').where('id', 'in', ids).execute();
    for (const u of users) await audit(trx, actor, { action: 'user.delete', entity: 'user', entityId: u.id, before: { email: u.email, role: u.role }, reason: 'demo account removed before deployment' });
    return users.map((u) => u.email);
  });
}
