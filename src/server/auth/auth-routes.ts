import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  type LoginResult,
  type RedirectLoginFlow,
  SESSION_COOKIE_NAME,
} from '../../domain/index.js';
import type { PasswordLogin } from '../../domain/password-login.js';
import { isPaddockError, PaddockError } from '../../errors/index.js';
import { readCookie, secureCookie } from '../cookies.js';
import type { HttpRoute, RequestContext } from '../http-route.js';
import { readJsonBody } from '../read-json-body.js';
import { sendError, sendJson } from '../send-json.js';

export interface AuthRoutesOptions {
  readonly passwordLogin: PasswordLogin;
  readonly redirectLogin: RedirectLoginFlow;
  /**
   * Paddock's public URL (configuration, else the `server-url` setting). OAuth callback URLs
   * are built from it only, never from the request's Host header: a redirect login cannot
   * start without it.
   */
  readonly serverUrl: () => Promise<string | undefined>;
  readonly maxBodyBytes: number;
  readonly now?: () => number;
}

const STATE_COOKIE = 'paddock_oauth_state';
const loginBody = z.object({
  provider: z.string().min(1).max(64).default('local'),
  username: z.string().min(1).max(256),
  password: z.string().max(1024),
});
const providerPath = /^\/v1\/auth\/([a-z][a-z0-9-]{0,63})\/(start|callback)$/;

/** `/v1/auth/login`, `/v1/auth/logout` and the GitHub/OIDC redirect start and callback. */
export function authRoutes(options: AuthRoutesOptions): HttpRoute[] {
  const now = options.now ?? Date.now;
  return [
    {
      name: 'auth-login',
      path: '/v1/auth/login',
      methods: ['POST'],
      handle: async (req, res) => {
        const parsed = loginBody.safeParse(await readJsonBody(req, options.maxBodyBytes));
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new PaddockError(
            'VALIDATION_FAILED',
            `${issue?.path.join('.') || 'body'}: ${issue?.message}`,
          );
        }
        // A throttled login's Retry-After header is set by sendError from the error's details.
        const result = await options.passwordLogin.login({
          ...parsed.data,
          remoteAddress: req.socket.remoteAddress,
          userAgent: req.headers['user-agent'],
        });
        setSessionCookie(res, result, now());
        sendJson(res, 200, loginAnswer(result));
      },
    },
    {
      name: 'auth-logout',
      path: '/v1/auth/logout',
      methods: ['POST'],
      handle: async (req, res) => {
        const token = bearerToken(req) ?? readCookie(req, SESSION_COOKIE_NAME);
        if (token === undefined) {
          throw new PaddockError('UNAUTHENTICATED', 'no session to end', {
            reason: 'missing_credentials',
          });
        }
        await options.passwordLogin.logout(token);
        res.setHeader('set-cookie', secureCookie(SESSION_COOKIE_NAME, '', { maxAgeSeconds: 0 }));
        res.statusCode = 204;
        res.end();
      },
    },
    {
      name: 'auth-redirect',
      path: '/v1/auth',
      prefix: true,
      methods: ['GET'],
      handle: async (req, res, ctx) => {
        const url = new URL(req.url ?? '/', 'http://paddock.invalid');
        const match = providerPath.exec(url.pathname);
        if (match === null) throw new PaddockError('NOT_FOUND', `no route for ${url.pathname}`);
        const [, provider = '', step] = match;
        if (step === 'start') await startRedirect(req, res, provider, options);
        else await finishRedirect(req, res, ctx, provider, url.searchParams, options, now());
      },
    },
  ];
}

async function startRedirect(
  req: IncomingMessage,
  res: ServerResponse,
  provider: string,
  options: AuthRoutesOptions,
): Promise<void> {
  const serverUrl = (await options.serverUrl())?.replace(/\/+$/, '');
  if (!serverUrl) {
    throw new PaddockError(
      'BAD_REQUEST',
      `${provider} logins need Paddock's public URL for their callback: set the server-url setting (or PADDOCK_SERVER_URL)`,
      { reason: 'server_url_unset' },
    );
  }
  const redirectUri = `${serverUrl}/v1/auth/${provider}/callback`;
  const started = await options.redirectLogin.start({
    provider,
    redirectUri,
    ...(req.socket.remoteAddress === undefined ? {} : { remoteAddress: req.socket.remoteAddress }),
  });
  const maxAgeSeconds = Math.ceil((started.expiresAt - Date.now()) / 1000);
  // Binds the login to this browser: a callback carrying someone else's state is refused.
  res.setHeader(
    'set-cookie',
    secureCookie(STATE_COOKIE, started.state, { maxAgeSeconds, path: '/v1/auth/' }),
  );
  res.writeHead(302, { location: started.authorizationUrl, 'cache-control': 'no-store' });
  res.end();
}

async function finishRedirect(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
  provider: string,
  params: URLSearchParams,
  options: AuthRoutesOptions,
  nowMs: number,
): Promise<void> {
  const clearState = secureCookie(STATE_COOKIE, '', { maxAgeSeconds: 0, path: '/v1/auth/' });
  const state = params.get('state');
  if (state === null || readCookie(req, STATE_COOKIE) !== state) {
    res.setHeader('set-cookie', clearState);
    throw new PaddockError(
      'UNAUTHENTICATED',
      'this login was not started by this browser; start again',
      {
        reason: 'bad_state',
      },
    );
  }
  try {
    const result = await options.redirectLogin.finish({
      provider,
      callbackParams: params,
      ...(req.socket.remoteAddress === undefined
        ? {}
        : { remoteAddress: req.socket.remoteAddress }),
      ...(req.headers['user-agent'] === undefined ? {} : { userAgent: req.headers['user-agent'] }),
    });
    res.setHeader('set-cookie', [clearState, sessionCookie(result, nowMs)]);
    if (wantsJson(req)) {
      sendJson(res, 200, loginAnswer(result));
      return;
    }
    // The browser lands in the web console, now signed in by the cookie.
    res.writeHead(302, { location: '/', 'cache-control': 'no-store' });
    res.end();
  } catch (err) {
    res.setHeader('set-cookie', clearState);
    if (!isPaddockError(err)) throw err;
    sendError(res, err, ctx);
  }
}

function loginAnswer(result: LoginResult) {
  return {
    token: result.token,
    userId: result.userId,
    username: result.username,
    expiresAt: new Date(result.expiresAt).toISOString(),
    mustChangePassword: result.mustChangePassword,
  };
}

function sessionCookie(result: LoginResult, nowMs: number): string {
  return secureCookie(SESSION_COOKIE_NAME, result.token, {
    maxAgeSeconds: (result.expiresAt - nowMs) / 1000,
  });
}

function setSessionCookie(res: ServerResponse, result: LoginResult, nowMs: number): void {
  res.setHeader('set-cookie', sessionCookie(result, nowMs));
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

function wantsJson(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('application/json');
}
