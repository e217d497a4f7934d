// Keeps, in a bundle's source map, only what maps to the project's own sources. Node loads a
// bundle's source map at start and keeps it (for stack traces); the relay's traces never show the
// bundled packages' frames, yet their mappings were most of the map (issue 23).

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]))

/** @param {string} segment @returns {number[]} the segment's Base64 VLQ fields */
function decode(segment) {
  const fields = []
  let value = 0
  let shift = 0
  for (const c of segment) {
    const digit = DIGIT.get(c)
    if (digit === undefined) {
      throw new Error(`source map: bad character ${JSON.stringify(c)}`)
    }
    value += (digit & 31) << shift
    if (digit & 32) {
      shift += 5
    } else {
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1)
      value = 0
      shift = 0
    }
  }
  return fields
}

/** @param {number[]} fields @returns {string} */
function encode(fields) {
  let out = ''
  for (const field of fields) {
    let value = field < 0 ? (-field << 1) | 1 : field << 1
    do {
      let digit = value & 31
      value >>>= 5
      if (value > 0) {
        digit |= 32
      }
      out += BASE64[digit]
    } while (value > 0)
  }
  return out
}

/**
 * @param {{ sources: string[], names?: string[], mappings: string }} map a version 3 source map
 * @param {(source: string) => boolean} keep which sources stay
 * @returns the map with only the kept sources, their mappings and the names those use
 */
export function trimSourceMap(map, keep) {
  const sourceIndex = map.sources.map((source) => (keep(source) ? 0 : -1))
  const sources = []
  map.sources.forEach((source, i) => {
    if (sourceIndex[i] === 0) {
      sourceIndex[i] = sources.push(source) - 1
    }
  })
  const names = []
  const nameIndex = new Map()
  // Absolute values of the input (decoding) and of the output (encoding) since the last segment.
  const at = { source: 0, line: 0, column: 0, name: 0 }
  const out = { source: 0, line: 0, column: 0, name: 0 }
  const lines = map.mappings.split(';').map((line) => {
    let column = 0
    let outColumn = 0
    // Whether the last segment kept maps somewhere: a dropped one then ends its range.
    let open = false
    const kept = []
    for (const segment of line === '' ? [] : line.split(',')) {
      const f = decode(segment)
      column += f[0]
      if (f.length < 4) {
        continue
      }
      at.source += f[1]
      at.line += f[2]
      at.column += f[3]
      if (f.length >= 5) {
        at.name += f[4]
      }
      const source = sourceIndex[at.source]
      if (source === undefined || source < 0) {
        if (open) {
          // A segment of the generated column alone: what follows maps to nothing (a package's
          // frame must not read as the own code before it on the same line).
          kept.push(encode([column - outColumn]))
          outColumn = column
          open = false
        }
        continue
      }
      open = true
      const fields = [
        column - outColumn,
        source - out.source,
        at.line - out.line,
        at.column - out.column,
      ]
      outColumn = column
      out.source = source
      out.line = at.line
      out.column = at.column
      if (f.length >= 5 && map.names !== undefined) {
        const name = map.names[at.name]
        let index = nameIndex.get(name)
        if (index === undefined) {
          index = names.push(name) - 1
          nameIndex.set(name, index)
        }
        fields.push(index - out.name)
        out.name = index
      }
      kept.push(encode(fields))
    }
    return kept.join(',')
  })
  return { ...map, sources, names, mappings: lines.join(';') }
}
