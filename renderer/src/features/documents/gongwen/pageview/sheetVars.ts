/** CSS custom properties every 公文 sheet sets: the font stacks and the red of GB/T 9704. */
import { FONT_STACKS, LAYOUT } from '../../../../../../shared/gongwen/layout'

/** The `--gw-*` font and colour variables of gongwenBody.css and the sheets' scoped styles. */
export const SHEET_VARS: Readonly<Record<string, string>> = {
  '--gw-fangsong': FONT_STACKS.fangsong,
  '--gw-xiaobiaosong': FONT_STACKS.xiaobiaosong,
  '--gw-heiti': FONT_STACKS.heiti,
  '--gw-kaiti': FONT_STACKS.kaiti,
  '--gw-red': LAYOUT.red,
}
