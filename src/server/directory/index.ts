// Runs in the central API (Node). The institution directory: seeded once (existing rows, which
// operators may have corrected, are left alone) and read by the sign-up wizard.
import type { Kysely } from 'kysely';
import type { ServerSchema } from '../db/schema';
import { SEED_INSTITUTIONS } from './seed';

export { SEED_INSTITUTIONS, SEOUL_HEALTH_CENTERS, EXAMPLE_INSTITUTIONS, healthCenterId } from './seed';

export async function seedInstitutions(db: Kysely<ServerSchema>): Promise<void> {
  await db
    .insertInto('institutions')
    .values(SEED_INSTITUTIONS.map((i) => ({ id: i.id, name: i.name, kind: i.kind, sido: i.sido, sigungu: i.sigungu, phone: i.phone, health_center_id: i.healthCenterId })))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}
