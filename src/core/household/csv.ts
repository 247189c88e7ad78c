/**
 * CSV as spreadsheets in China save it, pure (no Node APIs): bytes → text (UTF-8 with or without
 * BOM, else GBK, which Excel writes by default on Chinese Windows), text → records (RFC 4180:
 * quoted fields may hold commas, line breaks and doubled quotes; CRLF or LF).
 */

/**
 * UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), otherwise GBK. Valid GBK text is almost
 * never valid UTF-8, so trying UTF-8 strictly first is a reliable test. Needs a runtime whose
 * TextDecoder knows 'gbk' (Node with full ICU, the default build; browsers).
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gbk' } {
  try {
    return { text: stripBom(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)), encoding: 'utf-8' }
  } catch {
    return { text: stripBom(new TextDecoder('gbk').decode(bytes)), encoding: 'gbk' }
  }
}

export const stripBom = (s: string): string => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s)

/** One record and the row it is on as a spreadsheet numbers them (1 = the first). */
export interface CsvRecord {
  row: number
  fields: string[]
}

/**
 * Splits CSV text into records. A record's `row` counts records, as a spreadsheet numbers its rows
 * (a line break inside quotes does not start a new row). Blank lines are rows too, returned with
 * one empty field, so numbering matches what the coordinator sees in Excel. A trailing line break
 * adds no record. Lenient where Excel is: a quote in the middle of an unquoted field is kept as is.
 */
export function parseCsv(input: string): CsvRecord[] {
  const text = stripBom(input)
  const out: CsvRecord[] = []
  let fields: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  const endRecord = () => {
    fields.push(field)
    out.push({ row: out.length + 1, fields })
    fields = []
    field = ''
  }
  while (i < text.length) {
    const c = text[i]!
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        continue
      }
      field += c
      i++
      continue
    }
    if (c === '"' && field === '') {
      quoted = true
      i++
    } else if (c === ',') {
      fields.push(field)
      field = ''
      i++
    } else if (c === '\r' || c === '\n') {
      endRecord()
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1
    } else {
      field += c
      i++
    }
  }
  if (field !== '' || fields.length > 0 || quoted) endRecord()
  return out
}

/** Quotes a field when it needs it (for the template and for tests). */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export const csvLine = (fields: readonly string[]): string => fields.map(csvField).join(',')
