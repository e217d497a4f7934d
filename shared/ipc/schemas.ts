/**
 * Argument schemas of every IPC channel. The renderer is untrusted, so the main process parses the
 * argument list of each call with the schema of its method before anything else looks at it.
 *
 * Each schema describes the whole argument tuple: extra or missing arguments are refused.
 *
 * @example
 *   const parsed = IPC_ARGUMENTS.saveFile.safeParse(args)
 *   if (!parsed.success) return { ok: false, code: 'invalid_arguments' }
 *   const [request] = parsed.data
 */
import { z } from 'zod'
import type { DesktopBridge, IpcResult } from './contract'
import { isAppRoute } from './appRoute'

/** Largest file the renderer may hand over for saving (bytes). */
export const MAX_SAVE_FILE_BYTES = 256 * 1024 * 1024
/** Longest file name the save dialog is offered (characters). */
export const MAX_FILE_NAME_LENGTH = 255
/** Longest notification title (characters). */
export const MAX_NOTIFICATION_TITLE_LENGTH = 256
/** Longest notification body (characters). */
export const MAX_NOTIFICATION_BODY_LENGTH = 4096
/** Longest session token the credential store accepts (characters). */
export const MAX_CREDENTIAL_LENGTH = 8192
/** Longest print title (characters). */
export const MAX_PRINT_TITLE_LENGTH = 256

/** @returns whether `text` holds a C0 control character or DEL, other than those in `allowed`. */
function hasControlCharacter(text: string, allowed = ''): boolean {
  for (const character of text) {
    const code = character.charCodeAt(0)
    if ((code < 0x20 || code === 0x7f) && !allowed.includes(character)) {
      return true
    }
  }
  return false
}

// Path separators and the characters Windows refuses in names; a name is never a path, so the
// renderer cannot steer the dialog's default location out of the documents folder.
const FORBIDDEN_NAME_CHARACTERS = /[\\/:*?"<>|]/

const fileName = z
  .string()
  .min(1)
  .max(MAX_FILE_NAME_LENGTH)
  .refine(
    (name) => !FORBIDDEN_NAME_CHARACTERS.test(name) && !hasControlCharacter(name),
    'a file name holds no path or control characters',
  )
  .refine((name) => name.trim() === name && name !== '.' && name !== '..', 'not a usable file name')

const mimeType = z
  .string()
  .max(255)
  .regex(/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/, 'a MIME type')

// z.custom rather than z.instanceof: the contract types the data as Uint8Array over any buffer.
const bytes = z
  .custom<Uint8Array>((value) => value instanceof Uint8Array, 'bytes')
  .refine((data) => data.byteLength <= MAX_SAVE_FILE_BYTES, 'file too large')

/** Plain text: tabs and line breaks allowed, other control characters refused. */
const plainText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((text) => !hasControlCharacter(text, '\t\n\r'), 'no control characters')

/** The argument of `saveFile`. */
export const SaveFileRequestSchema = z.object({
  suggestedName: fileName,
  mimeType,
  data: bytes,
})

/** The argument of `notify`. */
export const NotifyRequestSchema = z.object({
  title: plainText(MAX_NOTIFICATION_TITLE_LENGTH).refine((title) => title.trim() !== '', 'a title'),
  body: plainText(MAX_NOTIFICATION_BODY_LENGTH),
  route: z.string().refine(isAppRoute, 'a route of the client, e.g. /approvals/42').optional(),
})

/** The argument of `printToPdf`. */
export const PrintToPdfRequestSchema = z.object({
  title: plainText(MAX_PRINT_TITLE_LENGTH),
})

/** A session token: printable ASCII without spaces, as bearer tokens are. */
export const CredentialSchema = z
  .string()
  .min(1)
  .max(MAX_CREDENTIAL_LENGTH)
  .regex(/^[\x21-\x7e]+$/, 'a bearer token')

/** Largest payload a device key signs (bytes): an approval action's canonical JSON is far smaller. */
export const MAX_SIGNED_BYTES = 64 * 1024

/** Which account's device key: an account id (it names a file in the main process). */
export const DeviceKeyRequestSchema = z.strictObject({
  account: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, 'an account id'),
})

/** The argument of `signWithDeviceKey`. */
export const DeviceSignRequestSchema = DeviceKeyRequestSchema.extend({
  data: z
    .custom<Uint8Array>((value) => value instanceof Uint8Array, 'bytes')
    .refine((data) => data.byteLength > 0 && data.byteLength <= MAX_SIGNED_BYTES, 'payload size'),
})

/** The argument tuple of every bridge method, by method name. */
export const IPC_ARGUMENTS = {
  appInfo: z.tuple([]),
  saveFile: z.tuple([SaveFileRequestSchema]),
  printToPdf: z.tuple([PrintToPdfRequestSchema]),
  notify: z.tuple([NotifyRequestSchema]),
  enableNotifications: z.tuple([]),
  loadCredential: z.tuple([]),
  storeCredential: z.tuple([CredentialSchema]),
  clearCredential: z.tuple([]),
  deviceKey: z.tuple([DeviceKeyRequestSchema]),
  createDeviceKey: z.tuple([DeviceKeyRequestSchema]),
  signWithDeviceKey: z.tuple([DeviceSignRequestSchema]),
  forgetDeviceKey: z.tuple([DeviceKeyRequestSchema]),
} as const satisfies Record<keyof DesktopBridge, z.ZodType<unknown[]>>

/** A bridge method's name. */
export type BridgeMethod = keyof DesktopBridge

/** The validated argument tuple of a bridge method. */
export type BridgeArguments<K extends BridgeMethod> = z.output<(typeof IPC_ARGUMENTS)[K]>

/** The value a bridge method resolves to when it succeeds. */
export type BridgeValue<K extends BridgeMethod> =
  Awaited<ReturnType<DesktopBridge[K]>> extends IpcResult<infer T> ? T : never

// Compile-time proof that each schema accepts exactly what the contract's method takes: a change to
// DesktopBridge without a matching schema change fails the typecheck here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type SchemasMatchContract = {
  [K in BridgeMethod]: Same<BridgeArguments<K>, Parameters<DesktopBridge[K]>>
}
const schemasMatchContract: SchemasMatchContract = {
  appInfo: true,
  saveFile: true,
  printToPdf: true,
  notify: true,
  enableNotifications: true,
  loadCredential: true,
  storeCredential: true,
  clearCredential: true,
  deviceKey: true,
  createDeviceKey: true,
  signWithDeviceKey: true,
  forgetDeviceKey: true,
}
void schemasMatchContract
