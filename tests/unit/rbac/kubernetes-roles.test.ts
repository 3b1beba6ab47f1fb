import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { PADDOCK_API_GROUP, type PolicyRule } from '../../../src/domain/rbac.js';
import { BUILTIN_ROLE_TEMPLATES, flattenRules, templateMap } from '../../../src/rbac/index.js';
import { repoRoot } from '../../support/repo-root.js';

/** Kubernetes' own roles, as its aggregation controller fills them (see the fixture's header). */
interface KubeClusterRole {
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  readonly aggregationRule?: {
    readonly clusterRoleSelectors: { readonly matchLabels: Record<string, string> }[];
  };
  readonly rules: PolicyRule[] | null;
}

const FIXTURE = join(repoRoot(), 'tests/unit/rbac/kubernetes-roles/v1.32-user-facing-roles.yaml');
const ROLES: KubeClusterRole[] = parse(readFileSync(FIXTURE, 'utf8')).items;

function kubeRole(name: string, seen = new Set<string>()): PolicyRule[] {
  const role = ROLES.find((r) => r.metadata.name === name);
  if (!role) throw new Error(`${name} is not in the fixture`);
  seen.add(name);
  const rules = [...(role.rules ?? [])];
  for (const { matchLabels } of role.aggregationRule?.clusterRoleSelectors ?? []) {
    for (const other of ROLES) {
      const labels = other.metadata.labels ?? {};
      const matches = Object.entries(matchLabels).every(([k, v]) => labels[k] === v);
      if (matches && !seen.has(other.metadata.name)) {
        rules.push(...kubeRole(other.metadata.name, seen));
      }
    }
  }
  return rules;
}

const VIEW = kubeRole('view');
const EDIT = kubeRole('edit');
const ADMIN = kubeRole('admin');
const CLUSTER_ADMIN = kubeRole('cluster-admin');

/** One permission: a verb on a resource of a group (or on a non-resource URL). */
interface Atom {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
}

const atomText = (a: Atom) => `${a.verb} ${a.resource}${a.group ? `.${a.group}` : ''}`;

function atomsOf(rules: readonly PolicyRule[]): Atom[] {
  const out: Atom[] = [];
  for (const r of rules) {
    for (const verb of r.verbs) {
      for (const group of r.apiGroups ?? []) {
        for (const resource of r.resources ?? []) out.push({ verb, group, resource });
      }
      for (const url of r.nonResourceURLs ?? []) out.push({ verb, group: '', resource: url });
    }
  }
  return out;
}

const has = (list: readonly string[] | undefined, value: string) =>
  list !== undefined && (list.includes('*') || list.includes(value));

/** Whether Kubernetes' rules grant the atom; a `*` asked for is only covered by a `*` held. */
function covered(atom: Atom, held: readonly PolicyRule[]): boolean {
  return held.some(
    (r) =>
      has(r.verbs, atom.verb) &&
      ((has(r.apiGroups, atom.group) && has(r.resources, atom.resource)) ||
        has(r.nonResourceURLs, atom.resource)),
  );
}

const lookup = templateMap(BUILTIN_ROLE_TEMPLATES);
const templateRules = (id: string) => flattenRules(id, lookup);

/**
 * Deliberate differences from Kubernetes' roles, each with its reason. Paddock's own API group
 * is served by Paddock (GraphQL authorization), not by the cluster: those rules reach the
 * cluster but name nothing there.
 */
const DELIBERATE: { template: string; atom: (a: Atom) => boolean; reason: string }[] = [
  {
    template: '*',
    atom: (a) => a.group === PADDOCK_API_GROUP,
    reason: "Paddock's own projects and bindings, authorized by Paddock, unknown to the cluster",
  },
  {
    template: 'project-owner',
    atom: (a) => a.verb === 'delete' && a.group === '' && a.resource === 'namespaces',
    reason:
      "Rancher lets a project owner delete the project's namespaces (admin cannot delete its " +
      'namespace); deleting grants nobody any access',
  },
];

function beyond(templateId: string, held: readonly PolicyRule[]): string[] {
  return atomsOf(templateRules(templateId))
    .filter(
      (a) =>
        !DELIBERATE.some((d) => (d.template === '*' || d.template === templateId) && d.atom(a)),
    )
    .filter((a) => !covered(a, held))
    .map(atomText);
}

const ESCALATING = [
  'pods/exec',
  'pods/attach',
  'pods/portforward',
  'pods/proxy',
  'services/proxy',
  'nodes/proxy',
];

function grantsOn(templateId: string, resource: string): string[] {
  return atomsOf(templateRules(templateId))
    .filter((a) => a.group === '' && (a.resource === resource || a.resource === '*'))
    .map(atomText);
}

const ids = BUILTIN_ROLE_TEMPLATES.map((t) => t.id);
// Cluster-scoped objects (nodes, volumes, storage classes, namespace creation) lie outside the
// namespaced view/edit/admin roles; they are held to the escalating-subresource rule only.
const CLUSTER_SCOPED = [
  'cluster-member',
  'projects-create',
  'nodes-view',
  'nodes-manage',
  'storage-manage',
  'create-ns',
];
const namespaced = ids.filter((id) => !CLUSTER_SCOPED.includes(id));
// projects-view is cluster-wide but reads only what view reads.
const VIEWERS = [...namespaced.filter((id) => id.endsWith('-view')), 'read-only'];
const MANAGERS = [...namespaced.filter((id) => id.endsWith('-manage')), 'project-member'];

describe('built-in role templates against Kubernetes v1.32 view, edit and admin', () => {
  it('reads the fixture as the aggregation controller fills the roles: view within edit within admin', () => {
    expect(atomsOf(VIEW).filter((a) => !covered(a, EDIT))).to.deep.equal([]);
    expect(atomsOf(EDIT).filter((a) => !covered(a, ADMIN))).to.deep.equal([]);
    expect(covered({ verb: 'get', group: '', resource: 'pods/exec' }, VIEW)).to.equal(false);
    expect(covered({ verb: 'get', group: '', resource: 'pods/exec' }, EDIT)).to.equal(true);
    expect(
      covered({ verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'roles' }, ADMIN),
    ).to.equal(true);
  });

  it('covers every built-in template with one of the checks below', () => {
    const checked = new Set([
      ...VIEWERS,
      ...MANAGERS,
      ...CLUSTER_SCOPED,
      'project-owner',
      'cluster-owner',
    ]);
    expect(ids.filter((id) => !checked.has(id))).to.deep.equal([]);
  });

  for (const id of VIEWERS) {
    // secrets-view is the one viewer meant to read secrets, which Kubernetes puts in edit.
    const role = id === 'secrets-view' ? 'edit' : 'view';
    it(`keeps ${id} within Kubernetes' ${role}`, () => {
      expect(beyond(id, id === 'secrets-view' ? EDIT : VIEW)).to.deep.equal([]);
    });

    it(`grants ${id} nothing on exec, attach, port-forward or any proxy`, () => {
      expect(ESCALATING.flatMap((r) => grantsOn(id, r))).to.deep.equal([]);
    });

    if (id !== 'secrets-view') {
      it(`grants ${id} nothing on secrets`, () => {
        expect(grantsOn(id, 'secrets')).to.deep.equal([]);
      });
    }
  }

  for (const id of MANAGERS) {
    it(`keeps ${id} within Kubernetes' edit`, () => {
      expect(beyond(id, EDIT)).to.deep.equal([]);
    });
  }

  it("keeps project-owner within Kubernetes' admin, but for the documented differences", () => {
    expect(beyond('project-owner', ADMIN)).to.deep.equal([]);
    expect(DELIBERATE.every((d) => d.reason.length > 0)).to.equal(true);
  });

  it('makes cluster-owner exactly cluster-admin, as Rancher does', () => {
    expect(atomsOf(templateRules('cluster-owner')).map(atomText).sort()).to.deep.equal(
      atomsOf(CLUSTER_ADMIN).map(atomText).sort(),
    );
  });

  it('grants the escalating subresources only through edit-level templates, nodes/proxy to none', () => {
    const withEscalating = ids.filter((id) => ESCALATING.some((r) => grantsOn(id, r).length > 0));
    expect(withEscalating.sort()).to.deep.equal(
      [
        'cluster-owner',
        'project-member',
        'project-owner',
        'services-manage',
        'workloads-manage',
      ].sort(),
    );
    const nodeProxy = ids.filter((id) => grantsOn(id, 'nodes/proxy').length > 0);
    expect(nodeProxy).to.deep.equal(['cluster-owner']);
  });

  it('keeps every view template within its manage template, so whoever grants one may grant both', () => {
    for (const id of ids.filter((x) => x.endsWith('-view'))) {
      const manage = id.replace(/-view$/, '-manage');
      if (!lookup.has(manage)) continue;
      const missing = atomsOf(templateRules(id)).filter((a) => !covered(a, templateRules(manage)));
      expect(missing.map(atomText), id).to.deep.equal([]);
    }
  });

  it('names verbs instead of * everywhere but cluster-owner and Paddock-owned resources', () => {
    const wild = BUILTIN_ROLE_TEMPLATES.filter((t) => t.id !== 'cluster-owner').flatMap((t) =>
      t.rules
        .filter((r) => r.verbs.includes('*') || (r.resources ?? []).includes('*'))
        .filter((r) => !(r.apiGroups ?? []).every((g) => g === PADDOCK_API_GROUP))
        .map((r) => `${t.id}: ${JSON.stringify(r)}`),
    );
    expect(wild).to.deep.equal([]);
  });
});
