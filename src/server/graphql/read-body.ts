/**
 * Reads a request body up to a limit: a declared length over the limit is refused before
 * reading, and a streamed body is cut off as soon as it passes the limit.
 */
import type { IncomingMessage } from 'node:http';
import { PaddockError } from '../../errors/index.js';

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      // Stop reading; the response's `connection: close` discards the rest of the upload.
      req.pause();
      throw tooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(maxBytes: number): PaddockError {
  return new PaddockError('PAYLOAD_TOO_LARGE', `request body exceeds ${maxBytes} bytes`, {
    reason: 'body_too_large',
    details: { maxBytes },
  });
}
