/**
 * A real `paddock serve` child process for the admin-mutation tests, with small helpers to log
 * in over `POST /v1/auth/login` and to send GraphQL over HTTPS. Every GraphQL response body is
 * kept so a test can assert that no credential ever came back.
 */
import { join } from 'node:path';
import { freePort } from '../../../support/free-port.js';
import { fetchText, type SimpleResponse } from '../../../support/http-client.js';
import { type PaddockProcess, startPaddock } from '../../../support/paddock-process.js';
import { makeTempDir } from '../../../support/temp-dir.js';

export const ADMIN_PASSWORD = 'test-bootstrap-password';

export interface GraphQLAnswer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are read loosely in tests
  readonly data: any;
  readonly errors:
    | { message: string; extensions?: Record<string, unknown>; path?: unknown[] }[]
    | undefined;
}

export interface AdminPaddock {
  readonly dir: string;
  readonly paddock: PaddockProcess;
  /** Every GraphQL response body received so far, in order. */
  readonly bodies: string[];
  login(username: string, password: string, provider?: string): Promise<SimpleResponse>;
  /** Logs in and returns the session token, failing with the answer otherwise. */
  session(username: string, password: string, provider?: string): Promise<string>;
  graphql(
    token: string,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLAnswer>;
  stop(): Promise<void>;
}

export async function startAdminPaddock(
  name: string,
  options: { env?: Record<string, string> } = {},
): Promise<AdminPaddock> {
  const tmp = await makeTempDir(name);
  let paddock: PaddockProcess;
  try {
    paddock = await startPaddock({
      port: await freePort(),
      dataDir: join(tmp.path, 'data'),
      ...(options.env === undefined ? {} : { env: options.env }),
    });
  } catch (err) {
    await tmp.remove();
    throw err;
  }
  const bodies: string[] = [];
  const login = (username: string, password: string, provider?: string) =>
    fetchText(`${paddock.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password, ...(provider ? { provider } : {}) }),
      ca: paddock.caPem,
    });
  return {
    dir: tmp.path,
    paddock,
    bodies,
    login,
    async session(username, password, provider) {
      const res = await login(username, password, provider);
      if (res.status !== 200)
        throw new Error(`login of ${username} answered ${res.status}: ${res.body}`);
      return JSON.parse(res.body).token as string;
    },
    async graphql(token, query, variables = {}) {
      const res = await fetchText(`${paddock.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
        ca: paddock.caPem,
      });
      bodies.push(res.body);
      let parsed: { data?: unknown; errors?: GraphQLAnswer['errors'] };
      try {
        parsed = JSON.parse(res.body);
      } catch {
        throw new Error(`/graphql answered ${res.status} with a non-JSON body: ${res.body}`);
      }
      return { status: res.status, data: parsed.data ?? null, errors: parsed.errors };
    },
    async stop() {
      await paddock.stop();
      await tmp.remove();
    },
  };
}

/** The first error's `extensions.code`, or undefined. */
export function errorCode(answer: GraphQLAnswer): unknown {
  return answer.errors?.[0]?.extensions?.code;
}
