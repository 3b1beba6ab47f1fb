import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface SimpleResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface SimpleRequest {
  readonly method?: string;
  readonly headers?: Record<string, string | string[]>;
  readonly body?: string;
  /** CA to trust for https URLs. */
  readonly ca?: string;
  readonly agent?: false;
  /** Source address of the connection (any 127.x address reaches a loopback listener). */
  readonly localAddress?: string;
  /** TLS server name to ask for and verify, when a forged Host header must not be used. */
  readonly servername?: string;
}

/** A small promise wrapper over node:http(s) that reads the whole body as text. */
export function fetchText(url: string, options: SimpleRequest = {}): Promise<SimpleResponse> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        ca: options.ca,
        agent: options.agent,
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
        ...(options.servername === undefined ? {} : { servername: options.servername }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
