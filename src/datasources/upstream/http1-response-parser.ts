/**
 * A strict, incremental HTTP/1.1 response parser for the proxy's upstream connections. It
 * reads one response per request (no pipelining), hands the body on as zero-copy slices of the
 * socket's buffers, and tells whether the connection may carry another request. Anything it
 * does not understand is an error: the API server is trusted, but a confused framing decision
 * would mix one caller's answer into another's.
 */

/** Lowercase header name → value; a repeated header keeps every line, in order. */
export type ResponseHeaders = Record<string, string | string[]>;

export interface ResponseEvents {
  onHead(status: number, headers: ResponseHeaders): void;
  onData(chunk: Buffer): void;
}

/** A malformed response; `code` starts with `HPE_` like Node's own parser errors. */
export class ResponseParseError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ResponseParseError';
  }
}

const MAX_HEAD_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 4 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/;
const HEX = /^[0-9a-fA-F]{1,15}$/;

type State =
  | 'head'
  | 'fixed'
  | 'chunk-size'
  | 'chunk-data'
  | 'chunk-data-end'
  | 'trailers'
  | 'until-close'
  | 'done';

export class Http1ResponseParser {
  /** Whether the connection may be reused once the response is complete. */
  keepAlive = true;
  #state: State = 'head';
  #pending: Buffer | undefined;
  #remaining = 0;
  #line = '';
  readonly #events: ResponseEvents;
  readonly #noBody: boolean;

  /** `noBody` for the answer to a HEAD request, which has headers only. */
  constructor(events: ResponseEvents, noBody: boolean) {
    this.#events = events;
    this.#noBody = noBody;
  }

  get done(): boolean {
    return this.#state === 'done';
  }

  /** Whether a status line and headers have been delivered. */
  get headReceived(): boolean {
    return this.#state !== 'head';
  }

  /** Feeds bytes from the socket; true once the response is complete. */
  execute(chunk: Buffer): boolean {
    let rest: Buffer = chunk;
    while (rest.length > 0) {
      switch (this.#state) {
        case 'head':
          rest = this.#readHead(rest);
          break;
        case 'fixed':
          rest = this.#readFixed(rest);
          break;
        case 'chunk-size':
          rest = this.#readChunkSize(rest);
          break;
        case 'chunk-data':
          rest = this.#readChunkData(rest);
          break;
        case 'chunk-data-end':
          rest = this.#readChunkDataEnd(rest);
          break;
        case 'trailers':
          rest = this.#readTrailers(rest);
          break;
        case 'until-close':
          this.#events.onData(rest);
          rest = EMPTY;
          break;
        case 'done':
          // Bytes after a complete answer (no request was pipelined): the answer stands, the
          // connection is not trusted with another request.
          this.keepAlive = false;
          return true;
      }
    }
    return this.#state === 'done';
  }

  /** The connection closed: completes a body delimited by the close, otherwise throws. */
  finish(): void {
    if (this.#state === 'until-close') {
      this.#state = 'done';
      return;
    }
    if (this.#state !== 'done') {
      throw new ResponseParseError('HPE_INCOMPLETE', 'the connection closed mid-response');
    }
  }

  #readHead(chunk: Buffer): Buffer {
    const searchFrom = this.#pending === undefined ? 0 : Math.max(0, this.#pending.length - 3);
    const buf = this.#pending === undefined ? chunk : Buffer.concat([this.#pending, chunk]);
    const end = buf.indexOf(HEAD_END, searchFrom);
    if (end === -1) {
      if (buf.length > MAX_HEAD_BYTES) {
        throw new ResponseParseError('HPE_HEADER_OVERFLOW', 'response headers too large');
      }
      this.#pending = buf;
      return EMPTY;
    }
    this.#pending = undefined;
    if (end > MAX_HEAD_BYTES) {
      throw new ResponseParseError('HPE_HEADER_OVERFLOW', 'response headers too large');
    }
    this.#startBody(buf.toString('latin1', 0, end));
    return buf.subarray(end + 4);
  }

  #startBody(head: string): void {
    const lines = head.split('\r\n');
    const statusLine = STATUS_LINE.exec(lines[0] ?? '');
    if (statusLine === null) {
      throw new ResponseParseError('HPE_INVALID_CONSTANT', 'malformed status line');
    }
    const minor = statusLine[1];
    const status = Number(statusLine[2]);
    const headers = parseHeaderLines(lines);
    // Informational answers (100 Continue, 103 Early Hints) precede the real one.
    if (status >= 100 && status < 200) {
      if (status === 101) {
        throw new ResponseParseError('HPE_INVALID_STATUS', 'unrequested protocol switch');
      }
      return;
    }
    const connection = tokensOf(headers.connection);
    this.keepAlive =
      minor === '1' ? !connection.includes('close') : connection.includes('keep-alive');
    const transferEncoding = headers['transfer-encoding'];
    const contentLength = headers['content-length'];

    if (this.#noBody || status === 204 || status === 304) {
      this.#state = 'done';
    } else if (transferEncoding !== undefined) {
      // RFC 9112 §6.3: chunked must be the last coding, else the body runs to the close; with
      // both framings present the connection cannot be trusted for another request.
      const codings = tokensOf(transferEncoding);
      if (codings.at(-1) === 'chunked') {
        this.#state = 'chunk-size';
        if (contentLength !== undefined) this.keepAlive = false;
      } else {
        this.#state = 'until-close';
        this.keepAlive = false;
      }
    } else if (contentLength !== undefined) {
      this.#remaining = contentLengthOf(contentLength);
      this.#state = this.#remaining === 0 ? 'done' : 'fixed';
    } else {
      this.#state = 'until-close';
      this.keepAlive = false;
    }
    // Only once the framing is known to be sound: a refused answer delivers no head, so the
    // proxy can still answer 502 instead of a status it would then have to cut off.
    this.#events.onHead(status, headers);
  }

  #readFixed(chunk: Buffer): Buffer {
    if (chunk.length <= this.#remaining) {
      this.#remaining -= chunk.length;
      this.#events.onData(chunk);
      if (this.#remaining === 0) this.#state = 'done';
      return EMPTY;
    }
    const body = chunk.subarray(0, this.#remaining);
    this.#remaining = 0;
    this.#state = 'done';
    this.#events.onData(body);
    return chunk.subarray(body.length);
  }

  #readChunkSize(chunk: Buffer): Buffer {
    const [line, rest] = this.#readLine(chunk);
    if (line === undefined) return rest;
    const size = line.split(';', 1)[0]!.trim();
    if (!HEX.test(size)) throw new ResponseParseError('HPE_INVALID_CHUNK_SIZE', 'bad chunk size');
    this.#remaining = Number.parseInt(size, 16);
    this.#state = this.#remaining === 0 ? 'trailers' : 'chunk-data';
    return rest;
  }

  #readChunkData(chunk: Buffer): Buffer {
    const take = Math.min(chunk.length, this.#remaining);
    this.#remaining -= take;
    this.#events.onData(take === chunk.length ? chunk : chunk.subarray(0, take));
    if (this.#remaining === 0) {
      this.#state = 'chunk-data-end';
      this.#line = '';
    }
    return chunk.subarray(take);
  }

  #readChunkDataEnd(chunk: Buffer): Buffer {
    const [line, rest] = this.#readLine(chunk);
    if (line === undefined) return rest;
    if (line !== '') throw new ResponseParseError('HPE_STRICT', 'chunk data longer than its size');
    this.#state = 'chunk-size';
    return rest;
  }

  #readTrailers(chunk: Buffer): Buffer {
    let rest = chunk;
    while (rest.length > 0) {
      const [line, after] = this.#readLine(rest);
      rest = after;
      if (line === undefined) return rest;
      // Trailers are dropped: nothing the proxy forwards depends on them.
      if (line === '') {
        this.#state = 'done';
        return rest;
      }
    }
    return rest;
  }

  /** One CRLF-terminated line, gathered across chunks; `undefined` until it is complete. */
  #readLine(chunk: Buffer): [string | undefined, Buffer] {
    const lf = chunk.indexOf(10);
    if (lf === -1) {
      this.#line += chunk.toString('latin1');
      if (this.#line.length > MAX_LINE_BYTES) {
        throw new ResponseParseError('HPE_CHUNK_EXTENSIONS_OVERFLOW', 'chunk line too long');
      }
      return [undefined, EMPTY];
    }
    const line = this.#line + chunk.toString('latin1', 0, lf);
    this.#line = '';
    if (!line.endsWith('\r')) throw new ResponseParseError('HPE_LF_EXPECTED', 'bare LF in body');
    return [line.slice(0, -1), chunk.subarray(lf + 1)];
  }
}

const EMPTY = Buffer.alloc(0);

function parseHeaderLines(lines: readonly string[]): ResponseHeaders {
  const headers: ResponseHeaders = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!TOKEN.test(name)) {
      throw new ResponseParseError('HPE_INVALID_HEADER_TOKEN', 'malformed header line');
    }
    const value = line.slice(colon + 1).trim();
    if (value.includes('\n') || value.includes('\r')) {
      throw new ResponseParseError('HPE_INVALID_HEADER_TOKEN', 'bare CR or LF in a header');
    }
    const key = name.toLowerCase();
    const existing = headers[key];
    if (existing === undefined) headers[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else headers[key] = [existing, value];
  }
  return headers;
}

function tokensOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return [value]
    .flat()
    .flatMap((v) => v.split(','))
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
}

function contentLengthOf(value: string | string[]): number {
  const values = new Set([value].flat().flatMap((v) => v.split(',').map((t) => t.trim())));
  const [only] = values;
  if (values.size !== 1 || only === undefined || !/^\d{1,15}$/.test(only)) {
    throw new ResponseParseError('HPE_INVALID_CONTENT_LENGTH', 'invalid content-length');
  }
  return Number(only);
}
