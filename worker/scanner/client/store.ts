// IndexedDB: the dataset (keys, certificates, batches, and when the server made it) and the
// intake list, so that the app works after a restart in airplane mode. One object store of
// named records; each write replaces its record whole, so a half-written state never exists.
import type { OfflineDataset } from '../offline-check';

const DB_NAME = 'ocop-kiem-tra-nhanh';
const STORE = 'records';

export interface StoredIntakeRow {
  at: string;
  input: string;
  times: number;
}

interface Records {
  dataset: OfflineDataset;
  /** When the phone last downloaded the whole dataset (its own clock: only schedules the next). */
  fullAt: string;
  intake: StoredIntakeRow[];
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
  });
}

let db: Promise<IDBDatabase> | null = null;

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  db ??= open();
  const store = (await db).transaction(STORE, mode).objectStore(STORE);
  return new Promise((resolve, reject) => {
    const req = work(store);
    req.onsuccess = () => resolve(req.result as T);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

export function getRecord<K extends keyof Records>(key: K): Promise<Records[K] | undefined> {
  return run('readonly', (s) => s.get(key));
}

export async function putRecord<K extends keyof Records>(key: K, value: Records[K]): Promise<void> {
  await run('readwrite', (s) => s.put(value, key));
}
