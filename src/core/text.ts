/** Text hygiene for anything a person typed: control characters out, whitespace trimmed. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g

export function cleanText(s: string): string {
  return s.replace(CONTROL, '').replace(/\r\n?/g, '\n').trim()
}
