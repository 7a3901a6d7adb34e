import type { MaintenanceWindowDoc, NAppContext } from '#sdk';

/** The NApp's `windows` collection (Kytos-ng's `maintenance.windows`), keyed by id. */
export const windowsCollection = (ctx: NAppContext<unknown>) => ctx.store.collection<MaintenanceWindowDoc>('windows', { key: 'id', indexes: ['status'] });
