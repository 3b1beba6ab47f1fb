/** A RedirectProvider fake (GitHub shape) for unit tests. */
import type { Principal } from '../../../src/domain/principal.js';
import type {
  RedirectFinishInput,
  RedirectGroupRefresh,
  RedirectLogin,
  RedirectProvider,
  RedirectStart,
} from '../../../src/domain/redirect-provider.js';
import { PaddockError } from '../../../src/errors/index.js';

export class FakeRedirect implements RedirectProvider {
  readonly name = 'github' as const;
  teams = ['42'];
  material = 'sealed-token-1';
  seenMaterial: (string | undefined)[] = [];
  revoked = false;

  async start(): Promise<RedirectStart> {
    const pending = {
      provider: 'github' as const,
      state: 'st',
      redirectUri: 'https://p/cb',
      createdAt: 0,
      expiresAt: 1,
    };
    return { authorizationUrl: 'https://github.test/authorize?state=st', state: 'st', pending };
  }

  private groups(): Principal[] {
    return this.teams.map((t) => ({
      id: `github_team://${t}`,
      provider: 'github',
      kind: 'group',
      name: `team-${t}`,
    }));
  }

  async finish(input: RedirectFinishInput): Promise<RedirectLogin> {
    const params = input.callbackParams as Record<string, string | undefined>;
    if (!input.pending)
      throw new PaddockError('UNAUTHENTICATED', 'bad state', { reason: 'bad_state' });
    if (params.error)
      throw new PaddockError('UNAUTHENTICATED', 'consent denied', { reason: 'consent_denied' });
    return {
      user: {
        id: 'github_user://1001',
        provider: 'github',
        kind: 'user',
        name: 'octocat',
        displayName: 'The Octocat',
      },
      groups: this.groups(),
      refreshMaterial: this.material,
    };
  }

  async refreshGroups(_user: Principal, refreshMaterial?: string): Promise<RedirectGroupRefresh> {
    this.seenMaterial.push(refreshMaterial);
    if (this.revoked) return { status: 'revoked', reason: 'token_revoked' };
    return { status: 'ok', groups: this.groups(), refreshMaterial: 'sealed-token-2' };
  }
}
