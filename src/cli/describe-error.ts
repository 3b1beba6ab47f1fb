/**
 * One line for an error a command could not get past: its message and the messages of its
 * causes (`Cannot connect to Redis at redis://…: connect ECONNREFUSED 127.0.0.1:6399`), never a
 * stack trace.
 */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  while (current instanceof Error && parts.length < 4) {
    if (!parts.some((p) => p.includes(current instanceof Error ? current.message : ''))) {
      parts.push(current.message);
    }
    current = current.cause;
  }
  if (parts.length === 0) parts.push(String(err));
  return parts.join(': ').replace(/\s*\n\s*/g, ' ');
}
