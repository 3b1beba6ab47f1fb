/** Adapts the pure explainAccess to the transport shape of the `AccessAdmin` port. */
import type {
  AccessExplanationView,
  ExplainAccessInput,
  ExplainedGrant,
} from '../domain/access-admin.js';
import type { AccessState, AccessSubject, BindingSubject } from '../domain/rbac.js';
import type { DownstreamRbac, RbacSyncStatus } from '../domain/rbac-downstream.js';
import { explainAccess, parseAccessRequest } from '../rbac/index.js';

/** A user's current group principals (empty for an unknown user). */
export type UserGroupsLookup = (userId: string) => Promise<readonly string[]>;

const subjectText = (s: BindingSubject) =>
  s.kind === 'user' ? `User ${s.userId}` : `Group ${s.principalId}`;

export function explainFor(args: {
  input: ExplainAccessInput;
  subject: AccessSubject;
  state: AccessState;
  downstream: DownstreamRbac;
  syncStatus?: RbacSyncStatus;
}): AccessExplanationView {
  const { input, subject } = args;
  const result = explainAccess({
    clusterId: input.clusterId,
    subject,
    request: parseAccessRequest(input),
    state: args.state,
    downstream: args.downstream,
    ...(args.syncStatus ? { syncStatus: args.syncStatus } : {}),
  });
  const paddockGrants: ExplainedGrant[] = result.paddockGrants.map((g) => ({
    kind: g.source.kind,
    id: g.source.bindingId,
    role: g.source.kind === 'globalRole' ? g.source.globalRoleId : g.source.roleTemplateId,
    subject: subjectText(g.source.subject),
    rule: JSON.stringify(g.rule),
    paddockOwned: true,
  }));
  const downstreamGrants: ExplainedGrant[] = result.downstreamGrants.map((g) => ({
    kind: g.binding.kind,
    id: g.binding.namespace ? `${g.binding.namespace}/${g.binding.name}` : g.binding.name,
    role: `${g.role.kind}/${g.role.name}`,
    subject: `${g.subject.kind} ${g.subject.name}`,
    rule: JSON.stringify(g.rule),
    paddockOwned: g.paddockOwned,
  }));
  return {
    allowed: result.allowed,
    allowedByPaddock: result.allowedByPaddock,
    request: result.request,
    userId: subject.userId,
    groupPrincipalIds: subject.groupPrincipalIds,
    ...(result.projectId ? { projectId: result.projectId } : {}),
    paddockGrants,
    downstreamGrants,
    notes: result.notes,
  };
}
