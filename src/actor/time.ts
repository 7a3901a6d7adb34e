/** Kytos' event timestamp form: UTC `YYYY-MM-DDTHH:MM:SS`. */
export function kytosTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}
