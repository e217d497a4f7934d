/**
 * The list-and-editor logic shared by the 审批流程 and 审批表单 admin pages: load the catalogue, open
 * an entry as a draft (guarded against losing unsaved changes), start a new one, copy a built-in
 * one, check and save.
 *
 * @example
 *   const editor = useCatalogEditor({ load: ..., idOf: (v) => v.flow.id, ... })
 *   await editor.select(view); await editor.save()
 */
import { computed, ref, shallowRef } from 'vue'
import type { Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { describeAdminError } from '../describeError'
import type { DraftProblem } from './flowDraft'
import { useDraftGuard } from './useDraftGuard'

/** What both catalogues' entries carry. */
export interface CatalogView {
  readonly builtin: boolean
  readonly updatedAt: string | null
}

/** An editable draft: an id and a name at least. */
export interface CatalogDraft {
  id: string
  name: string
}

export type DraftCheck<Value> =
  | { readonly ok: true; readonly value: Value }
  | { readonly ok: false; readonly problems: readonly DraftProblem[] }

/** What one catalogue supplies. */
export interface CatalogSource<View extends CatalogView, Draft extends CatalogDraft, Value> {
  /** `flow` or `form`: the i18n keys under `apAdmin.<kind>`. */
  readonly kind: 'flow' | 'form'
  /** Loads the entries (and whatever else the page needs beside them). */
  load(): Promise<View[]>
  idOf(view: View): string
  toDraft(view: View): Draft
  emptyDraft(): Draft
  check(draft: Draft): DraftCheck<Value>
  /** Saves a checked value; answers the saved entry's id. */
  save(value: Value): Promise<string>
  /** Called with each draft opened from the list (e.g. to fill in names). */
  opened?(draft: Draft): void
}

/** One catalogue page's state and actions. */
export function useCatalogEditor<View extends CatalogView, Draft extends CatalogDraft, Value>(
  source: CatalogSource<View, Draft, Value>,
) {
  const { t } = useI18n()
  const views = shallowRef<View[]>([])
  const loading = ref(true)
  const loadError = ref<string | null>(null)
  const draft = ref<Draft | null>(null) as Ref<Draft | null>
  /** The entry open in the editor, null for a new one. */
  const openId = ref<string | null>(null)
  const problems = shallowRef<readonly DraftProblem[]>([])
  const saving = ref(false)
  const guard = useDraftGuard(draft)

  const open = computed(
    () => views.value.find((view) => source.idOf(view) === openId.value) ?? null,
  )
  const readonly = computed(() => open.value?.builtin === true)

  async function load(): Promise<void> {
    loading.value = true
    try {
      views.value = await source.load()
      loadError.value = null
    } catch (error) {
      loadError.value = `${t(`apAdmin.${source.kind}.loadFailed`)}：${describeAdminError(error, t)}`
    } finally {
      loading.value = false
    }
  }

  function show(id: string | null, next: Draft, snapshot: boolean): void {
    openId.value = id
    draft.value = next
    problems.value = []
    if (snapshot) {
      guard.snapshot()
    }
  }

  async function select(view: View): Promise<void> {
    const id = source.idOf(view)
    if (openId.value === id || !(await guard.mayLeave())) {
      return
    }
    show(id, source.toDraft(view), true)
    source.opened?.(draft.value as Draft)
  }

  async function create(): Promise<void> {
    if (await guard.mayLeave()) {
      show(null, source.emptyDraft(), true)
    }
  }

  /** A built-in entry copied into a new draft (unsaved, so leaving it asks). */
  function copy(): void {
    if (open.value === null) {
      return
    }
    const copied = source.toDraft(open.value)
    copied.id = `${copied.id}-copy`
    copied.name = `${copied.name}${t('apAdmin.copySuffix')}`
    show(null, copied, false)
  }

  async function save(): Promise<void> {
    const current = draft.value
    if (current === null || readonly.value || saving.value) {
      return
    }
    const checked = source.check(current)
    const id = current.id.trim()
    const taken = openId.value === null && views.value.some((view) => source.idOf(view) === id)
    if (!checked.ok || taken) {
      problems.value = [
        ...(taken ? [{ path: 'id', key: 'idTaken', params: { id } }] : []),
        ...(checked.ok ? [] : checked.problems),
      ]
      return
    }
    problems.value = []
    saving.value = true
    try {
      const savedId = await source.save(checked.value)
      guard.snapshot()
      ElMessage.success(t(`apAdmin.${source.kind}.saved`))
      await load()
      openId.value = savedId
    } catch (error) {
      ElMessage.error(t('apAdmin.saveFailed', { reason: describeAdminError(error, t) }))
    } finally {
      saving.value = false
    }
  }

  return {
    ...{ views, loading, loadError, draft, openId, open, readonly, problems, saving, guard },
    ...{ load, select, create, copy, save },
  }
}
