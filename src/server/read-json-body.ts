import type { IncomingMessage } from 'node:http';
import { PaddockError } from '../errors/index.js';

/** Reads a JSON request body of at most `maxBytes`; refuses other content types. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new PaddockError(
      'BAD_REQUEST',
      'the body must be JSON (Content-Type: application/json)',
      {
        reason: 'unsupported_media_type',
      },
    );
  }
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new PaddockError('BAD_REQUEST', 'the body is not valid JSON', {
      reason: 'malformed_json',
    });
  }
}

function tooLarge(maxBytes: number): PaddockError {
  return new PaddockError('PAYLOAD_TOO_LARGE', `the body exceeds ${maxBytes} bytes`);
}
