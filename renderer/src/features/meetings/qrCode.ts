/**
 * The sign-in link as a QR code (qrcode-generator, MIT), drawn as one SVG path so it scales crisply
 * on the room's screen. Error correction M; the version grows with the link's length.
 */
import qrcode from 'qrcode-generator'

/** A QR code's modules: `dark[row][col]`. */
export interface QrMatrix {
  readonly size: number
  readonly dark: readonly (readonly boolean[])[]
}

/** The quiet zone around the code, in modules (the standard asks for 4). */
export const QR_MARGIN = 4

/** @returns the modules of `text` encoded in byte mode (the link is ASCII). */
export function qrMatrix(text: string): QrMatrix {
  const qr = qrcode(0, 'M')
  qr.addData(text, 'Byte')
  qr.make()
  const size = qr.getModuleCount()
  const dark = Array.from({ length: size }, (_, row) =>
    Array.from({ length: size }, (_, col) => qr.isDark(row, col)),
  )
  return { size, dark }
}

/**
 * @returns an SVG path of the dark modules, in module units offset by the quiet zone (one `h1v1h-1z`
 *   square each, runs of a row merged)
 */
export function qrPath(matrix: QrMatrix): string {
  const parts: string[] = []
  matrix.dark.forEach((cells, row) => {
    let col = 0
    while (col < matrix.size) {
      if (!cells[col]) {
        col += 1
        continue
      }
      let run = 1
      while (col + run < matrix.size && cells[col + run]) {
        run += 1
      }
      parts.push(`M${col + QR_MARGIN} ${row + QR_MARGIN}h${run}v1h-${run}z`)
      col += run
    }
  })
  return parts.join('')
}

/** @returns the side of the whole image in modules (code and quiet zone). */
export function qrSide(matrix: QrMatrix): number {
  return matrix.size + 2 * QR_MARGIN
}
