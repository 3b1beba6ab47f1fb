/**
 * Refuses request JSON nested deeper than a limit. `JSON.parse` copes with any depth, but
 * argument conversion and coercion walk values recursively, so 10 000 nested arrays in a
 * variable would overflow the stack inside a resolver (a 500). Checked iteratively right after
 * parsing, before GraphQL sees the request.
 */
import { PaddockError } from '../../errors/index.js';

/** Whether arrays/objects in `value` nest more than `limit` levels (the value itself is 1). */
export function exceedsJsonDepth(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.depth > limit) return true;
    const children = Array.isArray(next.value) ? next.value : Object.values(next.value);
    for (const child of children) {
      if (child !== null && typeof child === 'object') {
        stack.push({ value: child, depth: next.depth + 1 });
      }
    }
  }
  return false;
}

/** BAD_REQUEST (`json_too_deep`) naming the part of the request that nests too deeply. */
export function assertJsonDepth(value: unknown, limit: number, what: string): void {
  if (exceedsJsonDepth(value, limit)) {
    throw new PaddockError(
      'BAD_REQUEST',
      `${what} nests arrays or objects more than ${limit} levels deep`,
      { reason: 'json_too_deep', details: { maxDepth: limit } },
    );
  }
}

/**
 * Deepest `{`/`[`/`(` nesting of a GraphQL document, outside strings and comments. The parser
 * recurses per level, so a literal of thousands of nested lists overflows its stack; this
 * linear scan refuses such a document before it is parsed.
 */
export function documentNestingDepth(source: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (c === '"') {
      i = source.startsWith('"""', i) ? skipBlockString(source, i) : skipString(source, i);
    } else if (c === '{' || c === '[' || c === '(') {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if (c === '}' || c === ']' || c === ')') {
      depth -= 1;
    }
  }
  return deepest;
}

function skipString(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === '"' || source[i] === '\n') return i;
  }
  return source.length;
}

function skipBlockString(source: string, start: number): number {
  for (let i = start + 3; i < source.length; i++) {
    if (source[i] === '\\' && source.startsWith('\\"""', i)) i += 3;
    else if (source.startsWith('"""', i)) return i + 2;
  }
  return source.length;
}

/** BAD_REQUEST (`document_too_deep`) for a document nested deeper than `limit`. */
export function assertDocumentDepth(source: unknown, limit: number): void {
  if (typeof source === 'string' && documentNestingDepth(source) > limit) {
    throw new PaddockError(
      'BAD_REQUEST',
      `the GraphQL document nests braces, brackets or parentheses more than ${limit} levels deep`,
      { reason: 'document_too_deep', details: { maxDepth: limit } },
    );
  }
}
