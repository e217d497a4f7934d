/** A document's content as an approval binds to it: digests and the encoding they cover. */
import { contentDigests, encodeContent } from '../../shared/gongwen/contentDigest'
import { META_ROOT } from '../../shared/gongwen/yBody'
import { docRoom } from '../../shared/protocol/rooms'
import type { RoomPort } from '../relay/ports'
import type { ContentNow } from './recordAction'

/** The content now, with the document's 文种 (meta.docType). */
export interface DocumentContent extends ContentNow {
  readonly docType: string | null
}

/** @returns the live document's digests, encoding and 文种 (one read of its room). */
export function readContent(rooms: RoomPort, documentId: string): Promise<DocumentContent> {
  return rooms.read(docRoom(documentId), (doc) => {
    const docType = doc.getMap<unknown>(META_ROOT).get('docType')
    return {
      ...contentDigests(doc),
      content: encodeContent(doc),
      docType: typeof docType === 'string' ? docType : null,
    }
  })
}
