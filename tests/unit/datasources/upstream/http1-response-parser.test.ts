import { expect } from 'chai';
import {
  Http1ResponseParser,
  type ResponseEvents,
  type ResponseHeaders,
  ResponseParseError,
} from '../../../../src/datasources/upstream/http1-response-parser.js';

/** Records what the parser hands on; body chunks are copied so later reuse cannot hide a bug. */
class Collector implements ResponseEvents {
  readonly heads: { status: number; headers: ResponseHeaders }[] = [];
  readonly chunks: Buffer[] = [];

  onHead(status: number, headers: ResponseHeaders): void {
    this.heads.push({ status, headers });
  }

  onData(chunk: Buffer): void {
    this.chunks.push(Buffer.from(chunk));
  }

  get body(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }
}

interface Fed {
  readonly events: Collector;
  readonly parser: Http1ResponseParser;
  /** What each `execute` returned, one per piece. */
  readonly results: boolean[];
}

function feed(pieces: readonly Buffer[], noBody = false): Fed {
  const events = new Collector();
  const parser = new Http1ResponseParser(events, noBody);
  const results = pieces.map((piece) => parser.execute(piece));
  return { events, parser, results };
}

const bytes = (text: string) => Buffer.from(text, 'latin1');

function oneByteAtATime(raw: Buffer): Buffer[] {
  return [...raw].map((_, i) => raw.subarray(i, i + 1));
}

/** A small seeded PRNG (mulberry32) so a failing split can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSplit(raw: Buffer, random: () => number, maxPiece: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < raw.length; ) {
    const size = 1 + Math.floor(random() * maxPiece);
    pieces.push(raw.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

/** Every way the response is cut must give the same answer, complete on its last byte only. */
function expectSameAnswerForEverySplit(
  raw: Buffer,
  expected: { status: number; headers: ResponseHeaders; body: string; keepAlive: boolean },
): void {
  const splits: { name: string; pieces: Buffer[] }[] = [
    { name: 'one byte at a time', pieces: oneByteAtATime(raw) },
  ];
  for (let i = 1; i < raw.length; i++) {
    splits.push({ name: `split at byte ${i}`, pieces: [raw.subarray(0, i), raw.subarray(i)] });
  }
  for (let seed = 1; seed <= 200; seed++) {
    splits.push({
      name: `random split, seed ${seed}`,
      pieces: randomSplit(raw, mulberry32(seed), 1 + (seed % 40)),
    });
  }
  for (const { name, pieces } of splits) {
    const { events, parser, results } = feed(pieces);
    expect(events.heads, name).to.deep.equal([
      { status: expected.status, headers: expected.headers },
    ]);
    expect(events.body, name).to.equal(expected.body);
    expect(results.slice(0, -1).includes(true), `${name}: complete before the last byte`).to.equal(
      false,
    );
    expect(results.at(-1), name).to.equal(true);
    expect(parser.done, name).to.equal(true);
    expect(parser.keepAlive, name).to.equal(expected.keepAlive);
  }
}

function parseErrorCode(raw: Buffer | readonly Buffer[], noBody = false): string {
  const pieces = Buffer.isBuffer(raw) ? [raw] : raw;
  try {
    feed(pieces, noBody);
  } catch (err) {
    expect(err).to.be.instanceOf(ResponseParseError);
    return (err as ResponseParseError).code;
  }
  throw new Error('the parser accepted the response');
}

/** The same malformed response must be refused whole and when fed one byte at a time. */
function expectRefused(text: string, code: string): void {
  const raw = bytes(text);
  expect(parseErrorCode(raw), JSON.stringify(text)).to.equal(code);
  expect(parseErrorCode(oneByteAtATime(raw)), `${JSON.stringify(text)} byte by byte`).to.equal(
    code,
  );
}

const CONTENT_LENGTH_RESPONSE =
  'HTTP/1.1 200 OK\r\n' +
  'Content-Type: application/json\r\n' +
  'Content-Length: 27\r\n' +
  'Audit-Id:   a1b2c3  \r\n' +
  '\r\n' +
  '{"kind":"Status","code":1}\n';

const CHUNKED_RESPONSE =
  'HTTP/1.1 200 OK\r\n' +
  'Transfer-Encoding: chunked\r\n' +
  'Trailer: X-Checksum\r\n' +
  '\r\n' +
  '5;name=value\r\nhello\r\n' +
  '000A ; ext="quoted;semi" ; other\r\n' +
  ' world!!!!\r\n' +
  // Chunk data that looks like framing must be passed on, not parsed.
  'b\r\nab\r\n0\r\n\r\ncd\r\n' +
  '0;last=1\r\n' +
  'X-Checksum: abc\r\n' +
  'X-Other: 1\r\n' +
  '\r\n';

describe('Http1ResponseParser', () => {
  describe('content-length bodies', () => {
    it('delivers the status, the lowercased headers and exactly content-length bytes', () => {
      const { events, parser, results } = feed([bytes(CONTENT_LENGTH_RESPONSE)]);
      expect(events.heads).to.deep.equal([
        {
          status: 200,
          headers: {
            'content-type': 'application/json',
            'content-length': '27',
            'audit-id': 'a1b2c3',
          },
        },
      ]);
      expect(events.body).to.equal('{"kind":"Status","code":1}\n');
      expect(results).to.deep.equal([true]);
      expect(parser.done).to.equal(true);
      expect(parser.keepAlive).to.equal(true);
    });

    it('hands the body on as slices of the socket buffer, without copying', () => {
      const raw = bytes(CONTENT_LENGTH_RESPONSE);
      const seen: Buffer[] = [];
      const parser = new Http1ResponseParser({ onHead() {}, onData: (c) => seen.push(c) }, false);
      parser.execute(raw);
      expect(seen).to.have.length(1);
      expect(seen[0]!.buffer).to.equal(raw.buffer);
      expect(seen[0]!.byteOffset).to.equal(raw.byteOffset + raw.indexOf('\r\n\r\n') + 4);
    });

    it('completes a content-length: 0 response on its head, without any data event', () => {
      const { events, results, parser } = feed([
        bytes('HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n'),
      ]);
      expect(events.heads.map((h) => h.status)).to.deep.equal([201]);
      expect(events.chunks).to.have.length(0);
      expect(results).to.deep.equal([true]);
      expect(parser.keepAlive).to.equal(true);
    });

    it('reports the head and completion state through its getters', () => {
      const events = new Collector();
      const parser = new Http1ResponseParser(events, false);
      expect(parser.headReceived).to.equal(false);
      expect(parser.execute(bytes('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab'))).to.equal(
        false,
      );
      expect(parser.headReceived).to.equal(true);
      expect(parser.done).to.equal(false);
      expect(parser.execute(bytes('cd'))).to.equal(true);
      expect(parser.done).to.equal(true);
    });

    it('gives the same answer however the head and body are split', () => {
      expectSameAnswerForEverySplit(bytes(CONTENT_LENGTH_RESPONSE), {
        status: 200,
        headers: {
          'content-type': 'application/json',
          'content-length': '27',
          'audit-id': 'a1b2c3',
        },
        body: '{"kind":"Status","code":1}\n',
        keepAlive: true,
      });
    });

    it('passes binary body bytes through unchanged', () => {
      const body = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const raw = Buffer.concat([bytes('HTTP/1.1 200 OK\r\ncontent-length: 256\r\n\r\n'), body]);
      const { events } = feed(oneByteAtATime(raw));
      expect(Buffer.concat(events.chunks).equals(body)).to.equal(true);
    });

    it('accepts the same content-length repeated, as one line or several', () => {
      for (const head of [
        'Content-Length: 3\r\nContent-Length: 3\r\n',
        'Content-Length: 3, 3\r\n',
      ]) {
        const { events, results } = feed([bytes(`HTTP/1.1 200 OK\r\n${head}\r\nabc`)]);
        expect(events.body).to.equal('abc');
        expect(results).to.deep.equal([true]);
      }
    });
  });

  describe('chunked bodies', () => {
    it('joins the chunks, ignoring extensions and dropping trailers', () => {
      const { events, parser, results } = feed([bytes(CHUNKED_RESPONSE)]);
      expect(events.heads).to.deep.equal([
        { status: 200, headers: { 'transfer-encoding': 'chunked', trailer: 'X-Checksum' } },
      ]);
      expect(events.body).to.equal('hello world!!!!ab\r\n0\r\n\r\ncd');
      expect(results).to.deep.equal([true]);
      expect(parser.keepAlive).to.equal(true);
    });

    it('gives the same answer however the chunks, extensions and trailers are split', () => {
      expectSameAnswerForEverySplit(bytes(CHUNKED_RESPONSE), {
        status: 200,
        headers: { 'transfer-encoding': 'chunked', trailer: 'X-Checksum' },
        body: 'hello world!!!!ab\r\n0\r\n\r\ncd',
        keepAlive: true,
      });
    });

    it('completes an empty chunked body without trailers', () => {
      const { events, results } = feed([
        bytes('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n'),
      ]);
      expect(events.chunks).to.have.length(0);
      expect(results).to.deep.equal([true]);
    });

    it('uses chunked framing when chunked is the last of several codings', () => {
      const { events, parser, results } = feed([
        bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'),
      ]);
      expect(events.body).to.equal('abc');
      expect(results).to.deep.equal([true]);
      expect(parser.keepAlive).to.equal(true);
    });

    it('refuses a chunk line longer than 4 KiB', () => {
      const head = bytes('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5;');
      const pieces = [head, ...Array.from({ length: 5 }, () => bytes('x'.repeat(1024)))];
      expect(parseErrorCode(pieces)).to.equal('HPE_CHUNK_EXTENSIONS_OVERFLOW');
    });
  });

  describe('informational answers', () => {
    it('skips a 100 Continue and delivers only the final answer', () => {
      const raw = bytes(
        'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok',
      );
      expectSameAnswerForEverySplit(raw, {
        status: 200,
        headers: { 'content-length': '2' },
        body: 'ok',
        keepAlive: true,
      });
    });

    it('skips several 103 Early Hints, whose headers do not leak into the final answer', () => {
      const { events, results } = feed([
        bytes('HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n'),
        bytes('HTTP/1.1 103 Early Hints\r\nLink: </b.js>; rel=preload\r\n\r\n'),
        bytes('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n'),
      ]);
      expect(events.heads).to.deep.equal([{ status: 404, headers: { 'content-length': '0' } }]);
      expect(results).to.deep.equal([false, false, true]);
    });

    it('does not count an informational answer as the head', () => {
      const events = new Collector();
      const parser = new Http1ResponseParser(events, false);
      parser.execute(bytes('HTTP/1.1 100 Continue\r\n\r\n'));
      expect(parser.headReceived).to.equal(false);
      expect(() => parser.finish()).to.throw(ResponseParseError);
    });

    it('refuses a 101 Switching Protocols nobody asked for', () => {
      expectRefused(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
        'HPE_INVALID_STATUS',
      );
    });
  });

  describe('answers without a body', () => {
    for (const status of [204, 304]) {
      it(`completes a ${status} on its head even with framing headers`, () => {
        const { events, parser, results } = feed([
          bytes(`HTTP/1.1 ${status} X\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n`),
        ]);
        expect(events.heads.map((h) => h.status)).to.deep.equal([status]);
        expect(events.chunks).to.have.length(0);
        expect(results).to.deep.equal([true]);
        expect(parser.done).to.equal(true);
      });
    }

    it('completes the answer to a HEAD request on its head, keeping the connection', () => {
      for (const framing of ['Content-Length: 1234', 'Transfer-Encoding: chunked', '']) {
        const head = framing === '' ? '' : `${framing}\r\n`;
        const { events, parser, results } = feed([bytes(`HTTP/1.1 200 OK\r\n${head}\r\n`)], true);
        expect(events.heads, framing).to.have.length(1);
        expect(events.chunks, framing).to.have.length(0);
        expect(results, framing).to.deep.equal([true]);
        expect(parser.keepAlive, framing).to.equal(true);
      }
    });
  });

  describe('keep-alive', () => {
    const keepAliveOf = (text: string) => feed([bytes(text)]).parser.keepAlive;

    it('does not keep an HTTP/1.0 connection unless the server asks for keep-alive', () => {
      expect(keepAliveOf('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n')).to.equal(false);
      expect(
        keepAliveOf('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n'),
      ).to.equal(true);
    });

    it('does not keep an HTTP/1.1 connection the server says it will close', () => {
      expect(
        keepAliveOf('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'),
      ).to.equal(false);
      expect(
        keepAliveOf('HTTP/1.1 200 OK\r\nConnection: x-foo, CLOSE\r\nContent-Length: 0\r\n\r\n'),
      ).to.equal(false);
      expect(
        keepAliveOf(
          'HTTP/1.1 200 OK\r\nConnection: x-foo\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
        ),
      ).to.equal(false);
      expect(
        keepAliveOf('HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n'),
      ).to.equal(true);
    });

    it('ends the answer and distrusts the connection when bytes follow a complete response', () => {
      const { events, parser, results } = feed([
        bytes('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n\r\n'),
      ]);
      expect(events.heads).to.have.length(1);
      expect(events.body).to.equal('ok');
      expect(results).to.deep.equal([true]);
      expect(parser.keepAlive).to.equal(false);
    });

    it('distrusts the connection when stray bytes arrive in a later read', () => {
      const { events, parser, results } = feed([
        bytes('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'),
        bytes('x'),
      ]);
      expect(events.body).to.equal('ok');
      expect(results).to.deep.equal([true, true]);
      expect(parser.keepAlive).to.equal(false);
    });
  });

  describe('bodies delimited by the close', () => {
    it('passes data on until finish() and then completes, never keeping the connection', () => {
      const events = new Collector();
      const parser = new Http1ResponseParser(events, false);
      const head = bytes('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nab');
      expect(parser.execute(head)).to.equal(false);
      expect(parser.execute(bytes('cd'))).to.equal(false);
      expect(parser.keepAlive).to.equal(false);
      expect(parser.done).to.equal(false);
      parser.finish();
      expect(parser.done).to.equal(true);
      expect(events.body).to.equal('abcd');
    });

    it('reads to the close when the transfer coding does not end in chunked', () => {
      const events = new Collector();
      const parser = new Http1ResponseParser(events, false);
      parser.execute(bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n3\r\nabc\r\n'));
      expect(events.body).to.equal('3\r\nabc\r\n');
      expect(parser.keepAlive).to.equal(false);
      parser.finish();
      expect(parser.done).to.equal(true);
    });

    it('throws HPE_INCOMPLETE when the connection closes before the response is complete', () => {
      const cases = [
        '',
        'HTTP/1.1 200 OK\r\nContent-Le',
        'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc',
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc',
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Trailer: 1\r\n',
      ];
      for (const text of cases) {
        const parser = new Http1ResponseParser(new Collector(), false);
        parser.execute(bytes(text));
        expect(() => parser.finish(), JSON.stringify(text))
          .to.throw(ResponseParseError)
          .with.property('code', 'HPE_INCOMPLETE');
      }
    });

    it('lets finish() after a complete response pass', () => {
      const { parser } = feed([bytes('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx')]);
      expect(() => parser.finish()).not.to.throw();
      expect(parser.done).to.equal(true);
    });
  });

  describe('framing conflicts', () => {
    it('lets chunked win over content-length, and does not keep the connection', () => {
      const { events, parser, results } = feed([
        bytes(
          'HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n' +
            '3\r\nabc\r\n0\r\n\r\n',
        ),
      ]);
      expect(events.body).to.equal('abc');
      expect(results).to.deep.equal([true]);
      expect(parser.keepAlive).to.equal(false);
    });

    it('refuses conflicting content-lengths', () => {
      expectRefused(
        'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef',
        'HPE_INVALID_CONTENT_LENGTH',
      );
      expectRefused(
        'HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nabcdef',
        'HPE_INVALID_CONTENT_LENGTH',
      );
    });

    it('delivers no head for an answer whose framing it refuses', () => {
      const events = new Collector();
      const parser = new Http1ResponseParser(events, false);
      const raw = bytes('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx');
      expect(() => parser.execute(raw))
        .to.throw(ResponseParseError)
        .with.property('code', 'HPE_INVALID_CONTENT_LENGTH');
      expect(events.heads).to.deep.equal([]);
      expect(parser.headReceived).to.equal(false);
    });

    it('refuses a content-length that is not a plain decimal number', () => {
      for (const value of ['-1', '+5', '0x10', 'abc', '', '1 2', '1.5', '9'.repeat(16)]) {
        expectRefused(
          `HTTP/1.1 200 OK\r\nContent-Length: ${value}\r\n\r\n`,
          'HPE_INVALID_CONTENT_LENGTH',
        );
      }
    });
  });

  describe('malformed responses', () => {
    const chunked = (body: string) =>
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${body}`;

    it('refuses bad chunk sizes', () => {
      for (const size of ['xyz', '-1', '', '0x5', '+5', ';ext', '1'.repeat(16)]) {
        expectRefused(chunked(`${size}\r\nabcde\r\n0\r\n\r\n`), 'HPE_INVALID_CHUNK_SIZE');
      }
    });

    it('refuses chunk data longer than its size', () => {
      expectRefused(chunked('3\r\nabcd\r\n0\r\n\r\n'), 'HPE_STRICT');
    });

    it('refuses a bare LF in the chunk framing', () => {
      expectRefused(chunked('3\nabc\r\n0\r\n\r\n'), 'HPE_LF_EXPECTED');
      expectRefused(chunked('3\r\nabc\n0\r\n\r\n'), 'HPE_LF_EXPECTED');
      expectRefused(chunked('3\r\nabc\r\n0\r\nX-T: 1\n\r\n'), 'HPE_LF_EXPECTED');
    });

    it('refuses a bare LF or CR inside the head', () => {
      expectRefused(
        'HTTP/1.1 200 OK\r\nA: b\nEvil: 1\r\nContent-Length: 0\r\n\r\n',
        'HPE_INVALID_HEADER_TOKEN',
      );
      expectRefused(
        'HTTP/1.1 200 OK\r\nA: b\rEvil: 1\r\nContent-Length: 0\r\n\r\n',
        'HPE_INVALID_HEADER_TOKEN',
      );
      expectRefused('HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n', 'HPE_INVALID_CONSTANT');
    });

    it('refuses obs-fold continuation lines', () => {
      expectRefused(
        'HTTP/1.1 200 OK\r\nX-Long: first\r\n second\r\nContent-Length: 0\r\n\r\n',
        'HPE_INVALID_HEADER_TOKEN',
      );
      expectRefused(
        'HTTP/1.1 200 OK\r\nX-Long: first\r\n\tsecond\r\nContent-Length: 0\r\n\r\n',
        'HPE_INVALID_HEADER_TOKEN',
      );
    });

    it('refuses whitespace before the colon, an empty name and a line without a colon', () => {
      for (const line of ['Content-Length : 0', ': value', 'no-colon', 'Bad Name: x', 'a\0b: x']) {
        expectRefused(
          `HTTP/1.1 200 OK\r\n${line}\r\nContent-Length: 0\r\n\r\n`,
          'HPE_INVALID_HEADER_TOKEN',
        );
      }
    });

    it('refuses a head larger than 64 KiB, incrementally and in one piece', () => {
      const filler = `X-Filler: ${'f'.repeat(1000)}\r\n`.repeat(66);
      const unfinished = bytes(`HTTP/1.1 200 OK\r\n${filler}`);
      const pieces: Buffer[] = [];
      for (let at = 0; at < unfinished.length; at += 1024) {
        pieces.push(unfinished.subarray(at, at + 1024));
      }
      expect(parseErrorCode(pieces)).to.equal('HPE_HEADER_OVERFLOW');
      expect(parseErrorCode(unfinished)).to.equal('HPE_HEADER_OVERFLOW');
      expect(parseErrorCode(bytes(`HTTP/1.1 200 OK\r\n${filler}\r\n`))).to.equal(
        'HPE_HEADER_OVERFLOW',
      );
    });

    it('accepts a large head that stays within 64 KiB', () => {
      const filler = `X-Filler: ${'f'.repeat(1000)}\r\n`.repeat(60);
      const raw = bytes(`HTTP/1.1 200 OK\r\n${filler}Content-Length: 1\r\n\r\nx`);
      const pieces: Buffer[] = [];
      for (let at = 0; at < raw.length; at += 1000) pieces.push(raw.subarray(at, at + 1000));
      const { events, results } = feed(pieces);
      expect(events.heads[0]!.headers['x-filler']).to.have.length(60);
      expect(events.body).to.equal('x');
      expect(results.at(-1)).to.equal(true);
    });

    it('refuses a malformed status line', () => {
      for (const line of [
        'HTTP/1.2 200 OK',
        'HTTP/2 200 OK',
        'HTTP/2.0 200 OK',
        'http/1.1 200 OK',
        'HTTP/1.1 20 OK',
        'HTTP/1.1 2000 OK',
        'HTTP/1.1 200OK',
        'HTTP/1.1  200 OK',
        'ICY 200 OK',
        ' HTTP/1.1 200 OK',
      ]) {
        expectRefused(`${line}\r\nContent-Length: 0\r\n\r\n`, 'HPE_INVALID_CONSTANT');
      }
    });

    it('accepts a status line without a reason phrase', () => {
      for (const line of ['HTTP/1.1 200', 'HTTP/1.1 200 ']) {
        const { events } = feed([bytes(`${line}\r\nContent-Length: 0\r\n\r\n`)]);
        expect(events.heads.map((h) => h.status)).to.deep.equal([200]);
      }
    });
  });

  describe('repeated headers', () => {
    it('keeps every line of a repeated header as an array, in order', () => {
      const { events } = feed([
        bytes(
          'HTTP/1.1 200 OK\r\n' +
            'Warning: 299 - "first"\r\n' +
            'Content-Length: 0\r\n' +
            'warning: 299 - "second, with a comma"\r\n' +
            'WARNING: 299 - "third"\r\n' +
            'Set-Cookie: a=1\r\n' +
            'Set-Cookie: b=2\r\n' +
            '\r\n',
        ),
      ]);
      expect(events.heads[0]!.headers).to.deep.equal({
        warning: ['299 - "first"', '299 - "second, with a comma"', '299 - "third"'],
        'content-length': '0',
        'set-cookie': ['a=1', 'b=2'],
      });
    });

    it('trims optional whitespace around values and keeps empty values', () => {
      const { events } = feed([
        bytes('HTTP/1.1 200 OK\r\nX-A:\t  spaced \t\r\nX-Empty:\r\nContent-Length: 0\r\n\r\n'),
      ]);
      expect(events.heads[0]!.headers).to.deep.equal({
        'x-a': 'spaced',
        'x-empty': '',
        'content-length': '0',
      });
    });
  });
});
