/**
 * A credential that stops working ends everything it holds open within a second: GraphQL
 * WebSockets (running subscriptions included, close code 4403) and kubectl watches through the
 * proxy, on the replica that holds them while the change is made on another one.
 */
import { expect } from 'chai';
import { type GraphQLSocket, openGraphQLSocket } from '../../support/graphql-socket.js';
import { fetchText } from '../../support/http-client.js';
import { waitFor } from '../../support/wait-for.js';
import { type KubectlStream, kubectlStream } from '../authproxy/support/kubectl.js';
import {
  type PaddockReplicas,
  type Replica,
  startPaddockReplicas,
  type TestUser,
  USER_PASSWORD,
} from './support/paddock-replicas.js';

const WITHIN_MS = 1_000;

interface Watch {
  readonly stream: KubectlStream;
  /** When kubectl exited, once it has. */
  exitedAt(): number | undefined;
}

for (const mode of ['embedded', 'redis'] as const) {
  const setting =
    mode === 'redis'
      ? 'two replicas sharing Redis: opened on B, revoked on A'
      : 'one replica on the embedded store';

  describe(`Revocation closes open connections (${setting})`, function () {
    this.timeout(60_000);
    let env: PaddockReplicas;
    let bystander: GraphQLSocket;
    const sockets: GraphQLSocket[] = [];
    const watches: KubectlStream[] = [];

    const socketOn = async (replica: Replica, token: string, subscribe = true) => {
      const socket = openGraphQLSocket(replica.url, token, { caPem: replica.caPem });
      sockets.push(socket);
      if (subscribe) await socket.subscribeToStatus();
      else expect(await socket.query('{ me { id } }')).to.have.nested.property('data.me.id');
      return socket;
    };
    const watchOn = async (replica: Replica, name: string, token: string): Promise<Watch> => {
      const kubeconfig = await env.kubeconfig(replica, name, token);
      const stream = kubectlStream(kubeconfig, ['get', 'configmaps', '-n', 'default', '-w']);
      watches.push(stream);
      let exitedAt: number | undefined;
      stream.child.once('exit', () => {
        exitedAt = Date.now();
      });
      await stream.waitFor(/NAME|kube-root-ca/, 20_000);
      return { stream, exitedAt: () => exitedAt };
    };
    /** The socket closed with 4403 and the watch ended, both within a second of `since`. */
    const expectEnded = async (since: number, socket: GraphQLSocket, watch?: Watch) => {
      const closed = await socket.waitClosed(WITHIN_MS + 500);
      expect(closed.code, closed.reason).to.equal(4403);
      expect(closed.at - since, 'ms until the socket closed').to.be.lessThan(WITHIN_MS);
      expect((await socket.query('{ me { id } }')).data).to.equal(undefined);
      if (watch) {
        const exitedAt = await waitFor('kubectl to exit', watch.exitedAt, {
          timeoutMs: WITHIN_MS + 500,
        });
        expect(exitedAt - since, 'ms until the watch ended').to.be.lessThan(WITHIN_MS);
      }
    };
    const expectHealthy = async (socket: GraphQLSocket) => {
      expect(socket.closed).to.equal(undefined);
      expect(await socket.query('{ me { id } }')).to.have.nested.property('data.me.id');
    };
    const graphqlOnA = async (token: string, query: string, variables = {}) => {
      const answer = await env.graphql(env.a, token, query, variables);
      if (answer.errors) throw new Error(JSON.stringify(answer.errors));
      return answer.data as Record<string, unknown>;
    };
    const closureLogged = (user: TestUser) =>
      env.b.logs.some(
        (l) =>
          (l.obj as Record<string, unknown>).userId === user.userId &&
          /closed .* credential stopped working/.test(l.msg ?? ''),
      );

    before(async () => {
      env = await startPaddockReplicas(mode);
      // The admin's socket on B must survive every other user's revocation.
      bystander = await socketOn(env.b, env.admin.session);
    });
    afterEach(async () => {
      for (const w of watches.splice(0)) w.stop();
      for (const s of sockets.splice(0)) if (s !== bystander) await s.dispose();
      await expectHealthy(bystander);
    });
    after(async () => {
      await bystander?.dispose();
      await env?.stop();
    });

    it('ends the socket, subscription and watch of an API key revoked through the API', async () => {
      const carol = await env.newUser(`carol-${mode}`);
      const created = await graphqlOnA(
        carol.session,
        'mutation { createApiKey(input: { description: "ws" }) { token key { keyId } } }',
      );
      const { token, key } = created.createApiKey as { token: string; key: { keyId: string } };
      const socket = await socketOn(env.b, token);
      const watch = await watchOn(env.b, 'carol-key', token);
      const sameUserSession = await socketOn(env.b, carol.session, false);

      const revoked = await graphqlOnA(
        carol.session,
        'mutation($k: ID!) { revokeApiKey(keyId: $k) }',
        {
          k: key.keyId,
        },
      );
      const since = Date.now();
      expect(revoked.revokeApiKey).to.equal(true);

      await expectEnded(since, socket, watch);
      await expectHealthy(sameUserSession);
      expect(closureLogged(carol), 'a log line names the user').to.equal(true);
      expect(JSON.stringify(env.b.logs)).not.to.include(token);
    });

    it('ends the watch and socket of a kubeconfig token revoked through the API', async () => {
      const dave = await env.newUser(`dave-${mode}`);
      const minted = await env.a.app.identity.apiKeys.create({
        userId: dave.userId,
        kind: 'kubeconfig',
      });
      const socket = await socketOn(env.b, minted.token);
      const watch = await watchOn(env.b, 'dave-kubeconfig', minted.token);

      await graphqlOnA(dave.session, 'mutation($k: ID!) { revokeApiKey(keyId: $k) }', {
        k: minted.key.keyId,
      });
      const since = Date.now();

      await expectEnded(since, socket, watch);
    });

    it('ends the socket and watch of a session logged out, not the user’s other session', async () => {
      const erin = await env.newUser(`erin-${mode}`);
      const other = await env.login(env.a, erin.username, USER_PASSWORD);
      const socket = await socketOn(env.b, erin.session);
      const watch = await watchOn(env.b, 'erin-session', erin.session);
      const otherSocket = await socketOn(env.b, other);

      const res = await fetchText(`${env.a.url}/v1/auth/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${erin.session}` },
        ca: env.a.caPem,
      });
      const since = Date.now();
      expect(res.status).to.equal(204);

      await expectEnded(since, socket, watch);
      await expectHealthy(otherSocket);
    });

    it('ends the sessions a password change signs out everywhere, and keeps the new session and the keys', async () => {
      const fay = await env.newUser(`fay-${mode}`);
      const key = await env.a.app.identity.apiKeys.create({ userId: fay.userId });
      const socket = await socketOn(env.b, fay.session);
      const watch = await watchOn(env.b, 'fay-session', fay.session);
      const keySocket = await socketOn(env.b, key.token);

      const changed = await graphqlOnA(
        fay.session,
        'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { token } }',
        { c: USER_PASSWORD, n: `${USER_PASSWORD} changed` },
      );
      const since = Date.now();

      await expectEnded(since, socket, watch);
      await expectHealthy(keySocket);
      const fresh = (changed.changePassword as { token: string }).token;
      await expectHealthy(await socketOn(env.b, fresh));
    });

    it('ends every socket and watch of a user disabled through the identity layer', async () => {
      const gus = await env.newUser(`gus-${mode}`);
      const key = await env.a.app.identity.apiKeys.create({ userId: gus.userId });
      const sessionSocket = await socketOn(env.b, gus.session);
      const keySocket = await socketOn(env.b, key.token);
      const watch = await watchOn(env.b, 'gus-key', key.token);

      await env.a.app.identity.users.disable(gus.userId, 'admin');
      const since = Date.now();

      await expectEnded(since, keySocket, watch);
      await expectEnded(since, sessionSocket);
    });

    it('ends the socket and watch of a user deleted through the identity layer', async () => {
      const hal = await env.newUser(`hal-${mode}`);
      const socket = await socketOn(env.b, hal.session);
      const watch = await watchOn(env.b, 'hal-session', hal.session);

      await env.a.app.identity.users.collection.delete(hal.userId);
      const since = Date.now();

      await expectEnded(since, socket, watch);
    });

    it('ends the socket and watch of a user the provider’s access mode no longer admits', async () => {
      const ivy = await env.newUser(`ivy-${mode}`);
      const socket = await socketOn(env.b, ivy.session);
      const watch = await watchOn(env.b, 'ivy-session', ivy.session);
      const setLocalAccess = (accessMode: string, allowed: string[]) =>
        graphqlOnA(
          env.admin.session,
          'mutation($m: AccessMode!, $p: [String!]!) { setAuthConfig(input: { provider: LOCAL, accessMode: $m, allowedPrincipalIds: $p, settings: {} }) { accessMode } }',
          { m: accessMode, p: allowed },
        );

      await setLocalAccess('REQUIRED', [`local://${env.admin.userId}`]);
      const since = Date.now();
      try {
        await expectEnded(since, socket, watch);
        const refused = await env.login(env.b, ivy.username, USER_PASSWORD).catch((e) => e);
        expect(String(refused)).to.match(/login of .*: 403/);
      } finally {
        await setLocalAccess('UNRESTRICTED', []);
      }
    });
  });
}
