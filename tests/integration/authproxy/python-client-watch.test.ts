import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { repoRoot } from '../../support/repo-root.js';
import { waitFor } from '../../support/wait-for.js';
import { kubectl, writeKubeconfig } from './support/kubectl.js';
import {
  type PaddockUser,
  type PaddockWithKubesim,
  startPaddockWithKubesim,
} from './support/paddock-with-kubesim.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(repoRoot(), 'tests/integration/authproxy/support/python-watch-pods.py');

interface PythonWatch {
  readonly child: ChildProcess;
  lines(): Record<string, string>[];
  exitCode(): number | null | undefined;
  stop(): void;
}

/** The official Python client's Watch().stream over list_namespaced_pod (sends watch=True). */
function pythonWatch(kubeconfig: string, namespace: string): PythonWatch {
  if (!existsSync(PYTHON)) throw new Error('python3 not found: apt-get install python3-kubernetes');
  const child = spawn(PYTHON, [SCRIPT, kubeconfig, namespace], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
  });
  let out = '';
  let err = '';
  let code: number | null | undefined;
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.on('exit', (c) => (code = c));
  return {
    child,
    lines: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, string>),
    exitCode: () => code,
    stop: () => {
      if (code === undefined) child.kill('SIGTERM');
      if (err !== '') process.stderr.write(`python stderr: ${err}\n`);
    },
  };
}

const podManifest = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
spec:
  containers:
    - name: main
      image: busybox
`;

describe('the official Python client watching through the Paddock proxy', function () {
  this.timeout(120_000);
  let p: PaddockWithKubesim;
  let pia: PaddockUser;

  before(async () => {
    p = await startPaddockWithKubesim();
    pia = await p.addUser('pia');
    const binding = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: pia-view
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: "${pia.userId}" }]
`;
    const r = await kubectl(p.adminKubeconfig, ['apply', '-f', '-'], binding);
    expect(r.code, r.stderr).to.equal(0);
  });

  after(async () => {
    await p?.stop();
  });

  it('gets a watch stream, not a List, from kubesim directly for watch=True', async () => {
    const one = p.sim.cluster('one').describe();
    const direct = await writeKubeconfig(p.dir, 'py-direct', one.url, one.caFile, one.adminToken);
    const w = pythonWatch(direct, 'shop');
    try {
      await waitFor('the initial ADDED events', () =>
        w.lines().some((l) => l.type === 'ADDED') ? true : undefined,
      );
      expect(w.lines().filter((l) => l.error !== undefined)).to.deep.equal([]);
      expect(w.exitCode()).to.equal(undefined);
    } finally {
      w.stop();
    }
  });

  it('receives events through the proxy and is ended when its key is revoked', async () => {
    const w = pythonWatch(pia.kubeconfig, 'shop');
    try {
      await waitFor(
        'the initial ADDED events through Paddock',
        () => (w.lines().some((l) => l.type === 'ADDED') ? true : undefined),
        { timeoutMs: 20_000 },
      );
      const created = await kubectl(p.adminKubeconfig, ['apply', '-f', '-'], podManifest('py-new'));
      expect(created.code, created.stderr).to.equal(0);
      await waitFor('the new pod to arrive as an event', () =>
        w.lines().some((l) => l.type === 'ADDED' && l.name === 'py-new') ? true : undefined,
      );
      // The proxy counted it as a watch: open-streams follows it.
      expect(p.proxy.openStreams.size).to.be.greaterThan(0);

      await p.identity.apiKeys.revoke(pia.keyId);
      const code = await waitFor(
        'the Python watch to end after the revocation',
        () => w.exitCode() ?? undefined,
        { timeoutMs: 10_000 },
      );
      expect(code).to.not.equal(0);
      const again = await kubectl(pia.kubeconfig, ['get', 'pods', '-n', 'shop']);
      expect(again.code).to.not.equal(0);
      expect(again.stderr).to.match(/Unauthorized|must be logged in/i);
    } finally {
      w.stop();
    }
  });
});
