/**
 * Attacks on agent clusters' registration secrets by other users with the default `user`
 * global role (which grants `create clusters`), against a real `paddock serve`: reading
 * someone else's agent manifest (it carries the secret that lets an agent set where the
 * cluster's traffic goes) and rotating someone else's secret (cutting their agents off).
 */
import { expect } from 'chai';
import { WebSocket } from 'ws';
import { parseAllDocuments } from 'yaml';
import { AGENT_TUNNEL_PROTOCOLS } from '../../../src/datasources/tunnel/tunnel-protocol.js';
import { fetchText } from '../../support/http-client.js';
import {
  ADMIN_PASSWORD,
  type AdminPaddock,
  errorCode,
  type GraphQLAnswer,
  startAdminPaddock,
} from './support/admin-graphql.js';

const CREATE_AGENT_IMPORT = `mutation($name: String!) {
  createClusterImport(input: { name: $name, transport: AGENT }) {
    manifest cluster { id state transport health { agent { connected sessions } } } } }`;
const ROTATE = 'mutation($id: ID!) { rotateClusterAgentSecret(id: $id) { manifest } }';
const PASSWORD = 'a-long-enough-password-1';

function ok(answer: GraphQLAnswer) {
  expect(answer.errors, JSON.stringify(answer.errors)).to.equal(undefined);
  return answer.data;
}

function agentToken(manifest: string): string {
  for (const doc of parseAllDocuments(manifest)) {
    const o = doc.toJS() as { kind?: string; stringData?: { token?: string } } | null;
    if (o?.kind === 'Secret' && o.stringData?.token !== undefined) return o.stringData.token;
  }
  throw new Error('no agent Secret in the manifest');
}

describe('agent cluster registration secrets on a running Paddock', function () {
  this.timeout(120_000);
  let app: AdminPaddock;
  let alice: string;
  let bob: string;

  /** The status Paddock answers a tunnel upgrade with this token: 101 (accepted) or 401. */
  const dialWith = (token: string) =>
    new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(
        `${app.paddock.url.replace(/^https/, 'wss')}/v1/connect`,
        AGENT_TUNNEL_PROTOCOLS.messages,
        { headers: { authorization: `Bearer ${token}` }, ca: app.paddock.caPem },
      );
      ws.on('upgrade', (res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', (err) => reject(err));
    });
  const manifestAs = (session: string, id: string) =>
    fetchText(`${app.paddock.url}/v1/import/${id}.yaml`, {
      headers: { authorization: `Bearer ${session}` },
      ca: app.paddock.caPem,
    });

  before(async () => {
    app = await startAdminPaddock('agent-trust');
    const admin = await app.session('admin', ADMIN_PASSWORD);
    ok(
      await app.graphql(
        admin,
        'mutation($v: String) { updateSetting(name: "server-url", value: $v) { value } }',
        { v: app.paddock.url },
      ),
    );
    for (const username of ['alice', 'bob']) {
      ok(
        await app.graphql(
          admin,
          'mutation($i: CreateLocalUserInput!) { createLocalUser(input: $i) { user { id } } }',
          { i: { username, password: PASSWORD, mustChangePassword: false } },
        ),
      );
    }
    alice = await app.session('alice', PASSWORD);
    bob = await app.session('bob', PASSWORD);
  });

  after(async () => {
    await app?.stop();
  });

  it('creates an agent import that waits for its agent', async () => {
    const made = ok(await app.graphql(alice, CREATE_AGENT_IMPORT, { name: 'alice-nat' }));
    expect(made.createClusterImport.cluster).to.deep.include({
      state: 'PENDING',
      transport: 'AGENT',
      health: { agent: { connected: false, sessions: 0 } },
    });
    expect(await dialWith(agentToken(made.createClusterImport.manifest))).to.equal(101);
  });

  it("does not hand another user's agent manifest, and its secret, to a user who may create clusters", async () => {
    const made = ok(await app.graphql(alice, CREATE_AGENT_IMPORT, { name: 'alice-private' }));
    const id = made.createClusterImport.cluster.id as string;
    const token = agentToken(made.createClusterImport.manifest);
    const stolen = await manifestAs(bob, id);
    expect(stolen.status).to.equal(403);
    expect(stolen.body).not.to.contain(token);
    const own = await manifestAs(alice, id);
    expect(own.status).to.equal(200);
    expect(agentToken(own.body)).to.equal(token);
  });

  it("refuses to rotate another user's agent secret, whose agents keep their access", async () => {
    const made = ok(await app.graphql(alice, CREATE_AGENT_IMPORT, { name: 'alice-kept' }));
    const id = made.createClusterImport.cluster.id as string;
    const refused = await app.graphql(bob, ROTATE, { id });
    expect(errorCode(refused)).to.equal('FORBIDDEN');
    expect(await dialWith(agentToken(made.createClusterImport.manifest))).to.equal(101);
  });

  it('lets the creator rotate the secret; the old one is refused from then on', async () => {
    const made = ok(await app.graphql(alice, CREATE_AGENT_IMPORT, { name: 'alice-rotated' }));
    const id = made.createClusterImport.cluster.id as string;
    const before = agentToken(made.createClusterImport.manifest);
    const rotated = ok(await app.graphql(alice, ROTATE, { id }));
    const after = agentToken(rotated.rotateClusterAgentSecret.manifest);
    expect(after).not.to.equal(before);
    expect(await dialWith(before)).to.equal(401);
    expect(await dialWith(after)).to.equal(101);
  });

  it('refuses to rotate a secret a cluster without an agent does not have', async () => {
    const made = ok(
      await app.graphql(
        alice,
        'mutation { createClusterImport(input: { name: "plain" }) { cluster { id } } }',
      ),
    );
    const res = await app.graphql(alice, ROTATE, { id: made.createClusterImport.cluster.id });
    expect(errorCode(res)).to.equal('CONFLICT');
  });

  it('refuses a made-up registration token', async () => {
    expect(await dialWith(`pdkagent_c-nobody_${'x'.repeat(43)}`)).to.equal(401);
  });
});
