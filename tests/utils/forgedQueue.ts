/**
 * For tests of refused work: an update written straight into a browser's offline queue (the
 * IndexedDB store the sync provider sends from when it reconnects), as a tampered client would,
 * and the count of refusals the relay has audited.
 */
import type { Page } from 'playwright-core'
import type { ApiClient } from './relay'

/** Adds `update` to the offline queue of `userId`'s copy of `doc:<documentId>` in the page's origin. */
export async function queueForgedUpdate(
  page: Page,
  userId: string,
  documentId: string,
  update: Uint8Array,
): Promise<void> {
  await page.evaluate(
    async ({ name, bytes }) => {
      await new Promise<void>((resolve, reject) => {
        const request = indexedDB.open(name)
        request.onerror = () => reject(new Error('indexedDB.open failed'))
        request.onsuccess = () => {
          const db = request.result
          const tx = db.transaction('updates', 'readwrite')
          tx.objectStore('updates').add(new Uint8Array(bytes))
          tx.oncomplete = () => {
            db.close()
            resolve()
          }
          tx.onerror = () => reject(new Error('writing the update failed'))
        }
      })
    },
    { name: `qilu:${userId}:doc:${documentId}`, bytes: [...update] },
  )
}

/** @returns how many refused document updates the audit log holds. */
export async function auditedRefusals(admin: ApiClient): Promise<number> {
  const answer = await admin.request<{ total: number }>(
    'GET',
    '/admin/audit?action=document.update_refused&limit=50',
  )
  return answer.body.total
}
