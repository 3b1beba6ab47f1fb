// Compatibility matrix, part 4: OpenAPI schemas for `kubectl explain`, and server-side field
// validation as `kubectl apply` uses it (--validate=strict by default, warn, server-side).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { type Kubesim, startKubesim } from '../../kubesim/index.js';
import { Kubectl } from '../support/kubectl.js';
import { api } from './http-client.js';

const configMap = (name: string, extra: string[] = [], data = '1') =>
  [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${name}`,
    '  namespace: shop',
    'data:',
    `  a: "${data}"`,
    ...extra,
    '',
  ].join('\n');

describe('kubesim OpenAPI schemas and field validation with real kubectl', function () {
  this.timeout(60_000);
  let sim: Kubesim;
  let kubectl: Kubectl;
  let clusterName = '';

  before(async () => {
    sim = await startKubesim({ clusters: 1, seed: 'demo', adminPort: false });
    const c = sim.clusters[0];
    if (!c) throw new Error('no cluster');
    clusterName = c.name;
    kubectl = new Kubectl(c);
  });

  after(async () => {
    kubectl.cleanup();
    await sim.stop();
  });

  const file = (name: string, text: string) => {
    const path = join(kubectl.dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('explains pod.spec.containers from the OpenAPI v3 schemas', async () => {
    const r = await kubectl.run(['explain', 'pod.spec.containers']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: containers <\[\]Container>/);
    expect(r.stdout).to.contain('List of containers belonging to the pod.');
    expect(r.stdout).to.match(/^ {2}image\t<string>$/m);
    expect(r.stdout).to.match(/^ {2}name\t<string> -required-$/m);
    expect(r.stdout).to.match(/^ {2}ports\t<\[\]ContainerPort>$/m);
  });

  it('explains a deployment with its group and top-level fields', async () => {
    const r = await kubectl.run(['explain', 'deployment']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n/);
    expect(r.stdout).to.contain('Deployment enables declarative updates for Pods and ReplicaSets.');
    expect(r.stdout).to.match(/^ {2}spec\t<DeploymentSpec>$/m);
    const nested = await kubectl.run(['explain', 'deploy.spec.strategy.rollingUpdate.maxSurge']);
    expect(nested.stdout).to.contain('FIELD: maxSurge');
  });

  it('reports an unknown field in explain like kubectl does', async () => {
    const r = await kubectl.run(['explain', 'pod.spec.nosuchfield']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain('field "nosuchfield" does not exist');
  });

  it('rejects unknown fields on create with the strict decoding error', async () => {
    const path = file('bad.yaml', configMap('strict-create', ['extra: true']));
    const r = await kubectl.run(['apply', '-f', path]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(
      `Error from server (BadRequest): error when creating "${path}": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "extra"`,
    );
    expect(
      sim
        .cluster(clusterName)
        .list('configmaps', 'shop')
        .map((c) => c.metadata.name),
    ).not.to.include('strict-create');
  });

  it('warns about and drops unknown fields with --validate=warn', async () => {
    const path = file(
      'warn.yaml',
      configMap('warned', ['extra: true']).replace(
        '  namespace: shop',
        '  namespace: shop\n  labls: {a: b}',
      ),
    );
    const r = await kubectl.run(['apply', '-f', path, '--validate=warn']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.contain('Warning: unknown field "extra"');
    expect(r.stderr).to.contain('Warning: unknown field "metadata.labls"');
    const stored = sim
      .cluster(clusterName)
      .list('configmaps', 'shop')
      .find((c) => c.metadata.name === 'warned');
    expect(stored).to.not.have.property('extra');
    expect(stored?.metadata).to.not.have.property('labls');
  });

  it('rejects an apply patch adding an unknown field, quoting the patch map', async () => {
    const created = await kubectl.run(['apply', '-f', file('ok.yaml', configMap('patched'))]);
    expect(created.code, created.stderr).to.equal(0);
    const r = await kubectl.run([
      'apply',
      '-f',
      file('ok2.yaml', configMap('patched', ['bogus: 1'], '2')),
    ]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(
      /The request is invalid: patch: Invalid value: "map\[bogus:1 data:map\[a:2\] metadata:map\[annotations:map\[kubectl\.kubernetes\.io\/last-applied-configuration:.*\]\]\]": strict decoding error: unknown field "bogus"/,
    );
  });

  it('fails server-side apply of an undeclared field', async () => {
    const r = await kubectl.run([
      'apply',
      '--server-side',
      '-f',
      file('ssa.yaml', configMap('ssa', ['bogus: 1'])),
    ]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(
      'failed to create typed patch object (/v1, Kind=ConfigMap): .bogus: field not declared in schema',
    );
  });

  it('explains a custom resource and validates its fields from the CRD schema', async () => {
    const crd = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata: {name: crontabs.stable.example.com}',
      'spec:',
      '  group: stable.example.com',
      '  names: {kind: CronTab, listKind: CronTabList, plural: crontabs, singular: crontab}',
      '  scope: Namespaced',
      '  versions:',
      '  - name: v1',
      '    served: true',
      '    storage: true',
      '    schema:',
      '      openAPIV3Schema:',
      '        type: object',
      '        properties:',
      '          spec:',
      '            type: object',
      '            description: The desired schedule.',
      '            properties:',
      '              cronSpec: {type: string, description: When the job runs.}',
      '              replicas: {type: integer}',
      '',
    ].join('\n');
    const created = await kubectl.run(['apply', '-f', '-'], { input: crd });
    expect(created.code, created.stderr).to.equal(0);
    const waited = await kubectl.run([
      'wait',
      '--for=condition=Established',
      'crd/crontabs.stable.example.com',
    ]);
    expect(waited.code, waited.stderr).to.equal(0);
    const explained = await kubectl.run(['explain', 'crontab.spec']);
    expect(explained.code, explained.stderr).to.equal(0);
    expect(explained.stdout).to.match(
      /^GROUP:\s+stable\.example\.com\nKIND:\s+CronTab\nVERSION:\s+v1\n/,
    );
    expect(explained.stdout).to.match(/^ {2}cronSpec\t<string>\n {4}When the job runs\.$/m);
    const bad = [
      'apiVersion: stable.example.com/v1',
      'kind: CronTab',
      'metadata: {name: nightly, namespace: shop}',
      'spec: {cronSpec: "0 0 * * *", image: busybox}',
      '',
    ].join('\n');
    const r = await kubectl.run(['apply', '-f', '-'], { input: bad });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(
      'CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.image"',
    );
  });

  it('serves /openapi/v2 as JSON with the definitions of the built-in kinds', async () => {
    const c = sim.clusters[0];
    if (!c) throw new Error('no cluster');
    const r = await api(c, 'GET', '/openapi/v2', { token: c.adminToken });
    expect(r.status).to.equal(200);
    const doc = r.json() as {
      swagger: string;
      definitions: Record<string, { required?: string[] }>;
    };
    expect(doc.swagger).to.equal('2.0');
    expect(doc.definitions['io.k8s.api.apps.v1.DeploymentSpec']?.required).to.deep.equal([
      'selector',
      'template',
    ]);
    const proto = await api(c, 'GET', '/openapi/v2', {
      token: c.adminToken,
      headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' },
    });
    expect(proto.status).to.equal(406);
  });
});
