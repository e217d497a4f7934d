/**
 * The submit of an admin dialog: one at a time, a problem found before asking the relay or the
 * relay's refusal shown in Chinese in the dialog.
 *
 * @example
 *   const { busy, failure, submit } = useDialogSubmit(
 *     async () => { await call(createUnit, { body }); open.value = false },
 *     () => (name.value === '' ? t('org.nameRequired') : null),
 *   )
 */
import { ref } from 'vue'
import type { Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { describeAdminError } from './describeError'

/** `check` answers a problem's text to show instead of running, or null. */
export function useDialogSubmit(
  run: () => Promise<void>,
  check: () => string | null = () => null,
): {
  readonly busy: Ref<boolean>
  readonly failure: Ref<string | null>
  submit(): Promise<void>
} {
  const { t } = useI18n()
  const busy = ref(false)
  const failure = ref<string | null>(null)

  async function submit(): Promise<void> {
    if (busy.value) {
      return
    }
    failure.value = check()
    if (failure.value !== null) {
      return
    }
    busy.value = true
    try {
      await run()
    } catch (error) {
      failure.value = describeAdminError(error, t)
    } finally {
      busy.value = false
    }
  }

  return { busy, failure, submit }
}
