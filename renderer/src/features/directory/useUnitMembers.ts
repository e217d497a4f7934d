/**
 * The members of the selected unit, from its directory room (the relay's copy, or this device's
 * cached one when offline), a page at a time.
 */
import { computed, markRaw, onBeforeUnmount, ref, shallowRef } from 'vue'
import type { ComputedRef, Ref, ShallowRef } from 'vue'
import type { DirectoryEntry } from '../../../../shared/api'
import { useSessionStore } from '../../stores/session'
import { DirectoryRoom } from './DirectoryRoom'
import { sortMembers } from './directoryMatch'

/** Rows per page of a unit's member list (a county office can have thousands). */
export const MEMBERS_PER_PAGE = 100

/** What the member list binds to. */
export interface UnitMembers {
  readonly members: ShallowRef<DirectoryEntry[]>
  readonly memberPageNumber: Ref<number>
  readonly memberPage: ComputedRef<DirectoryEntry[]>
  /** Whether the room holds the relay's copy (false: this device's cached copy, or none yet). */
  readonly roomSynced: Ref<boolean>
  readonly roomLoading: Ref<boolean>
  /** Shows the members of a unit (closing the previous unit's room). */
  readonly openRoom: (unitId: string) => Promise<void>
}

/** The member list of the calling component (its room closes when it unmounts). */
export function useUnitMembers(): UnitMembers {
  const session = useSessionStore()
  const room = shallowRef<DirectoryRoom | null>(null)
  const members = shallowRef<DirectoryEntry[]>([])
  const memberPageNumber = ref(1)
  const memberPage = computed(() =>
    members.value.slice(
      (memberPageNumber.value - 1) * MEMBERS_PER_PAGE,
      memberPageNumber.value * MEMBERS_PER_PAGE,
    ),
  )
  const roomSynced = ref(false)
  const roomLoading = ref(false)
  let roomGeneration = 0

  async function openRoom(unitId: string): Promise<void> {
    const user = session.user
    const token = session.token
    room.value?.destroy()
    room.value = null
    members.value = []
    memberPageNumber.value = 1
    roomSynced.value = false
    if (user === null || token === null) {
      return
    }
    const mine = ++roomGeneration
    roomLoading.value = true
    const render = (): void => {
      const current = room.value
      if (mine !== roomGeneration || current === null) {
        return
      }
      members.value = sortMembers(current.entries(), unitId)
      roomSynced.value = current.synced
    }
    const opened = await DirectoryRoom.open({ userId: user.id, unitId, token, onChange: render })
    if (mine !== roomGeneration) {
      opened.destroy()
      return
    }
    room.value = markRaw(opened)
    roomLoading.value = false
    render()
  }

  onBeforeUnmount(() => {
    roomGeneration++
    room.value?.destroy()
  })

  return { members, memberPageNumber, memberPage, roomSynced, roomLoading, openRoom }
}
