import type { LoginResult } from '../../domain/identity.js';
import type { RedirectLoginFlow, RedirectLoginStart } from '../../domain/redirect-login.js';
import { PaddockError } from '../../errors/index.js';
import type { LoginService } from '../login-service.js';
import type { ProviderDispatcher } from '../provider-dispatcher.js';
import type { PendingLoginStore } from './pending-login-store.js';

/** Start and finish of GitHub/OIDC logins: the provider's redirect plus the pending state. */
export class StoredRedirectLoginFlow implements RedirectLoginFlow {
  constructor(
    private readonly providers: ProviderDispatcher,
    private readonly pending: PendingLoginStore,
    private readonly login: LoginService,
  ) {}

  async start(input: {
    provider: string;
    redirectUri: string;
    remoteAddress?: string;
  }): Promise<RedirectLoginStart> {
    const entry = this.providers.redirect(input.provider);
    if (entry === undefined) {
      throw new PaddockError(
        'BAD_REQUEST',
        `'${input.provider}' is not an enabled redirect login provider`,
        {
          reason: 'unknown_provider',
        },
      );
    }
    const started = await entry.provider.start({ redirectUri: input.redirectUri });
    await this.pending.save(started, input.remoteAddress);
    return {
      authorizationUrl: started.authorizationUrl,
      state: started.state,
      expiresAt: started.pending.expiresAt,
    };
  }

  async finish(input: {
    provider: string;
    callbackParams: URLSearchParams;
    remoteAddress?: string;
    userAgent?: string;
  }): Promise<LoginResult> {
    const pending = await this.pending.take(input.callbackParams.get('state'));
    return this.login.finishRedirectLogin({
      provider: input.provider,
      callbackParams: input.callbackParams,
      pending,
      ...(input.remoteAddress === undefined ? {} : { remoteAddress: input.remoteAddress }),
      ...(input.userAgent === undefined ? {} : { userAgent: input.userAgent }),
    });
  }
}
