// The one-line summary of the server's answer to the `seedls.indexStatus`
// command, for example
// {"roots":["/w"],"files":123,"entities":100,"documents":20,"diagnostics":7,"indexing":false},
// with the server's version (serverInfo.version of its initialize result) and
// where the binary came from. No `vscode` import, so that it can be tested
// with plain Node.

const COUNTS: Array<[key: string, one: string, many: string]> = [
  ['entities', 'entity', 'entities'],
  ['documents', 'document', 'documents'],
  ['citations', 'citation', 'citations'],
  ['files', 'file', 'files'],
  ['diagnostics', 'diagnostic', 'diagnostics'],
];

export function summarizeIndexStatus(status: unknown, version?: string, source?: string): string {
  const who = `seedls ${version || '(version unknown)'}` + (source ? ` (${source})` : '');
  if (status === null || typeof status !== 'object' || Array.isArray(status)) {
    return `${who}: index status ${JSON.stringify(status) ?? 'no answer'}`;
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
  let line = `${who}: ` + (parts.length > 0 ? parts.join(', ') : JSON.stringify(s));
  if (s.indexing === true) line += ' (indexing…)';
  return line;
}
