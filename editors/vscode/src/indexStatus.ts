// The one-line summary of the server's answer to the `seedls.indexStatus`
// command, for example
// {"roots":["/w"],"files":123,"entities":100,"documents":20,"diagnostics":7,"indexing":false}.
// No `vscode` import, so that it can be tested with plain Node.

const COUNTS: Array<[key: string, one: string, many: string]> = [
  ['entities', 'entity', 'entities'],
  ['documents', 'document', 'documents'],
  ['files', 'file', 'files'],
  ['diagnostics', 'diagnostic', 'diagnostics'],
];

export function summarizeIndexStatus(status: unknown): string {
  if (status === null || typeof status !== 'object' || Array.isArray(status)) {
    return `seedls index status: ${JSON.stringify(status) ?? 'no answer'}`;
  }
  const s = status as Record<string, unknown>;
  const parts: string[] = [];
  for (const [key, one, many] of COUNTS) {
    const n = s[key];
    if (typeof n === 'number') parts.push(`${n} ${n === 1 ? one : many}`);
  }
  if (Array.isArray(s.roots)) {
    const n = s.roots.length;
    parts.push(`${n} ${n === 1 ? 'root' : 'roots'}`);
  }
  let line = 'seedls index: ' + (parts.length > 0 ? parts.join(', ') : JSON.stringify(s));
  if (s.indexing === true) line += ' (indexing…)';
  return line;
}
