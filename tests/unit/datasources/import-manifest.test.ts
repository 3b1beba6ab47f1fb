import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseAllDocuments } from 'yaml';
import { renderImportManifest } from '../../../src/datasources/import-manifest.js';
import { repoRoot } from '../../support/repo-root.js';

type Obj = {
  kind: string;
  type?: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  rules?: { apiGroups?: string[]; resources?: string[]; verbs: string[] }[];
};

function objects(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
}

describe('the import manifest', () => {
  it('is the same file as deploy/downstream/paddock-downstream.yaml', async () => {
    const committed = await readFile(
      join(repoRoot(), 'deploy/downstream/paddock-downstream.yaml'),
      'utf8',
    );
    expect(committed).to.equal(renderImportManifest());
  });

  it('creates both service accounts with token Secrets in paddock-system', () => {
    const objs = objects(renderImportManifest('c-1'));
    const names = objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(names).to.include.members([
      'Namespace//paddock-system',
      'ServiceAccount/paddock-system/paddock-impersonator',
      'ServiceAccount/paddock-system/paddock-manager',
      'Secret/paddock-system/paddock-impersonator-token',
      'Secret/paddock-system/paddock-manager-token',
    ]);
    for (const secret of objs.filter((o) => o.kind === 'Secret')) {
      expect(secret.type).to.equal('kubernetes.io/service-account-token');
      expect(secret.metadata.annotations?.['kubernetes.io/service-account.name']).to.be.a('string');
    }
  });

  it('grants the impersonator nothing but impersonate on users, groups, uids and userextras', () => {
    const role = objects(renderImportManifest()).find(
      (o) => o.kind === 'ClusterRole' && o.metadata.name === 'paddock-impersonator',
    );
    const rules = role?.rules ?? [];
    expect(rules).to.have.length.greaterThan(0);
    for (const rule of rules) {
      expect(rule.verbs).to.deep.equal(['impersonate']);
      for (const resource of rule.resources ?? []) {
        expect(resource).to.match(/^(users|groups|uids|userextras\/.+)$/);
      }
    }
  });

  it('labels every object with the cluster id when rendered for a cluster', () => {
    const text = renderImportManifest('c-abc');
    expect(text).to.contain('paddock.io/cluster-id: c-abc');
  });
});
