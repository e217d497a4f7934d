/**
 * The content digest of a document room (DESIGN §7): SM3, hex, of a canonical encoding of the
 * `body` (Y.XmlFragment) and of every `meta` key except those the flow fills itself (`signers`,
 * `documentNumber`, `printDate`, `printingAuthority`, `copyNumber`). Approve and 签发 actions bind
 * to it; the renderer and the relay compute it with this one function.
 *
 * Encoding, version 1: the UTF-8 bytes of the RFC 8785 canonical JSON of
 *   { "v": 1, "body": [node…], "meta": { key: value… } }
 * where a node is
 *   - an element: { "n": nodeName, "a": { attribute: value… }, "c": [node…] } ("a" and "c" left
 *     out when empty; attributes sorted, as JCS sorts every object's keys);
 *   - text: { "t": [run…] }, a run being { "s": string, "m": { mark: value… } } ("m" left out when
 *     unformatted) or { "e": embed }. Adjacent text nodes are one text node and adjacent runs with
 *     the same marks one run, so how the text was typed (edit order, split items) never matters.
 * `null` attribute, mark and meta values count as absent (y-prosemirror writes nulls for defaults);
 * Y.XmlHook nodes are left out. Marks include suggestion (修订) marks: pending suggestions are content.
 *
 * The substantive encoding (`ignorePunctuation`, for 发文复核: a punctuation-only edit must not
 * re-open 签发) differs in text only: marks are dropped, each text node becomes { "t": string } of
 * its text after NFKC with whitespace and punctuation (\p{P}) removed — except punctuation between
 * two digits (1.5, 1,000, 10:30 stay, since 1.5天 and 15天 differ) — and text that ends up empty,
 * `hardBreak` elements and paragraphs left without content are dropped. Meta strings are normalised
 * the same way. Paragraph structure still counts.
 *
 * @example
 *   A body <paragraph level=1>关于<bold>做好</bold>工作的通知</paragraph>, meta { title: '通知', signers: ['张三'] }:
 *   strict       {"body":[{"a":{"level":1},"c":[{"t":[{"s":"关于"},{"m":{"bold":true},"s":"做好"},{"s":"工作的通知"}]}],"n":"paragraph"}],"meta":{"title":"通知"},"v":1}
 *   substantive  {"body":[{"a":{"level":1},"c":[{"t":"关于做好工作的通知"}],"n":"paragraph"}],"meta":{"title":"通知"},"v":1}
 *   contentDigest(doc) // '94236ec1cb36b5b0885634afb3cd8736a4ab77f4b91b77c427d8f0a867051848'
 */
import canonicalize from 'canonicalize'
import { sm3 } from 'sm-crypto-v2'
import * as Y from 'yjs'
import { BODY_ROOT, META_ROOT } from './yBody'

/** Meta keys the flow fills itself (签发人, 发文字号, 印发…, 份号): outside the digest. */
export const FLOW_FILLED_META_KEYS: ReadonlySet<string> = new Set([
  'signers',
  'documentNumber',
  'printDate',
  'printingAuthority',
  'copyNumber',
])

/** How text is compared. */
export type DigestMode =
  /** Every character and mark counts (the digest actions bind to). */
  | 'strict'
  /** Punctuation, whitespace and marks do not count (the 发文复核 test of a substantive change). */
  | 'ignorePunctuation'

/** The version written as `v` in the encoding. */
export const CONTENT_ENCODING_VERSION = 1

type Json = string | number | boolean | Json[] | { [key: string]: Json }

/** Drops null and undefined values (absent) and anything with no JSON form, recursively. */
function plain(value: unknown, text: (s: string) => string): Json | undefined {
  if (value === null || value === undefined) {
    return undefined
  }
  if (typeof value === 'string') {
    return text(value)
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined
  }
  if (typeof value === 'boolean') {
    return value
  }
  if (Array.isArray(value)) {
    return value.map((item) => plain(item, text)).filter((item) => item !== undefined)
  }
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {}
    for (const [key, item] of Object.entries(value)) {
      const kept = plain(item, text)
      if (kept !== undefined) {
        out[key] = kept
      }
    }
    return out
  }
  return undefined
}

const same = (text: string) => text

/**
 * @returns text as the substantive digest sees it: NFKC, no whitespace, no punctuation except
 *   between two digits
 */
export function substantiveText(text: string): string {
  const chars = [...text.normalize('NFKC')]
  let out = ''
  chars.forEach((char, index) => {
    if (/\s/u.test(char)) {
      return
    }
    if (/\p{P}/u.test(char)) {
      const between = /\d$/u.test(out) && /^\d/u.test(chars[index + 1] ?? '')
      if (!between) {
        return
      }
    }
    out += char
  })
  return out
}

interface Run {
  s?: string
  e?: Json
  m?: { [key: string]: Json }
}

function runsOf(text: Y.XmlText): Run[] {
  const runs: Run[] = []
  const delta: unknown = text.toDelta()
  for (const op of Array.isArray(delta) ? delta : []) {
    const insert: unknown = Reflect.get(Object(op), 'insert')
    const marks = plain(Reflect.get(Object(op), 'attributes') ?? {}, same)
    const m =
      marks !== undefined &&
      typeof marks === 'object' &&
      !Array.isArray(marks) &&
      Object.keys(marks).length > 0
        ? marks
        : undefined
    const run: Run = typeof insert === 'string' ? { s: insert } : { e: plain(insert, same) ?? '' }
    if (m !== undefined) {
      run.m = m
    }
    const last = runs[runs.length - 1]
    if (
      last?.s !== undefined &&
      run.s !== undefined &&
      canonicalize(last.m ?? {}) === canonicalize(run.m ?? {})
    ) {
      last.s += run.s
    } else {
      runs.push(run)
    }
  }
  return runs.filter((run) => run.s !== '')
}

function encodeChildren(nodes: readonly unknown[], mode: DigestMode): Json[] {
  const out: Json[] = []
  let pending: Run[] | null = null
  const flush = () => {
    if (pending === null) {
      return
    }
    if (mode === 'strict') {
      // Merge runs across the boundary of adjacent text nodes too.
      const merged: Run[] = []
      for (const run of pending) {
        const last = merged[merged.length - 1]
        if (
          last?.s !== undefined &&
          run.s !== undefined &&
          canonicalize(last.m ?? {}) === canonicalize(run.m ?? {})
        ) {
          last.s += run.s
        } else {
          merged.push({ ...run })
        }
      }
      if (merged.length > 0) {
        out.push({ t: merged.map((run) => plain(run, same) ?? '') })
      }
    } else {
      const text = substantiveText(pending.map((run) => run.s ?? '').join(''))
      if (text.length > 0) {
        out.push({ t: text })
      }
    }
    pending = null
  }
  for (const node of nodes) {
    if (node instanceof Y.XmlText) {
      pending = [...(pending ?? []), ...runsOf(node)]
      continue
    }
    flush()
    if (node instanceof Y.XmlElement) {
      const encoded = encodeElement(node, mode)
      if (encoded !== null) {
        out.push(encoded)
      }
    }
  }
  flush()
  return out
}

function encodeElement(element: Y.XmlElement, mode: DigestMode): Json | null {
  const substantive = mode === 'ignorePunctuation'
  if (substantive && element.nodeName === 'hardBreak') {
    return null
  }
  const children = encodeChildren(element.toArray(), mode)
  if (substantive && element.nodeName === 'paragraph' && children.length === 0) {
    return null
  }
  const attributes = plain(element.getAttributes(), same)
  const node: { [key: string]: Json } = { n: element.nodeName }
  if (
    attributes !== undefined &&
    typeof attributes === 'object' &&
    Object.keys(attributes).length > 0
  ) {
    node.a = attributes
  }
  if (children.length > 0) {
    node.c = children
  }
  return node
}

/** @returns the canonical JSON text of a document room's content (see the header). */
export function encodeContent(doc: Y.Doc, mode: DigestMode = 'strict'): string {
  const text = mode === 'strict' ? same : substantiveText
  const meta: { [key: string]: Json } = {}
  for (const [key, value] of Object.entries(doc.getMap<unknown>(META_ROOT).toJSON())) {
    const kept = FLOW_FILLED_META_KEYS.has(key) ? undefined : plain(value, text)
    if (kept !== undefined) {
      meta[key] = kept
    }
  }
  const body = encodeChildren(doc.getXmlFragment(BODY_ROOT).toArray(), mode)
  return canonicalize({ v: CONTENT_ENCODING_VERSION, body, meta }) ?? ''
}

/** @returns SM3 (lowercase hex) of the UTF-8 of {@link encodeContent}. */
export function contentDigest(doc: Y.Doc, mode: DigestMode = 'strict'): string {
  // sm-crypto-v2 hashes a string as its UTF-8 bytes.
  return sm3(encodeContent(doc, mode))
}

/** @returns both digests: `digest` (strict, what actions bind to) and `substantiveDigest`. */
export function contentDigests(doc: Y.Doc): { digest: string; substantiveDigest: string } {
  return {
    digest: contentDigest(doc, 'strict'),
    substantiveDigest: contentDigest(doc, 'ignorePunctuation'),
  }
}
