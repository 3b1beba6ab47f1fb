/**
 * GitHub accounts, organizations and teams as Paddock principals, keyed by GitHub's numeric
 * ids (logins and slugs can be renamed and then reused by someone else).
 */
import type { Principal } from '../../domain/principal.js';
import type { GitHubOrg, GitHubTeam, GitHubUser } from './github-api.js';

export function githubUserPrincipal(user: GitHubUser, email?: string): Principal {
  const address = user.email ?? email;
  return {
    id: `github_user://${user.id}`,
    provider: 'github',
    kind: 'user',
    name: user.login,
    displayName: user.name || user.login,
    ...(address ? { email: address } : {}),
  };
}

export function githubOrgPrincipal(org: GitHubOrg): Principal {
  return {
    id: `github_org://${org.id}`,
    provider: 'github',
    kind: 'group',
    name: org.login,
    displayName: org.login,
  };
}

export function githubTeamPrincipal(team: GitHubTeam): Principal {
  return {
    id: `github_team://${team.id}`,
    provider: 'github',
    kind: 'group',
    name: `${team.organization.login}/${team.slug}`,
    displayName: `${team.organization.login}/${team.name}`,
  };
}

/**
 * Org principals followed by team principals, without duplicates. A team's organization
 * counts as a membership even when `/user/orgs` hides it (the app lacks access to the org).
 */
export function githubGroupPrincipals(
  orgs: readonly GitHubOrg[],
  teams: readonly GitHubTeam[],
): Principal[] {
  const byId = new Map<string, Principal>();
  for (const org of [...orgs, ...teams.map((t) => t.organization)]) {
    const principal = githubOrgPrincipal(org);
    if (!byId.has(principal.id)) byId.set(principal.id, principal);
  }
  for (const team of teams) {
    const principal = githubTeamPrincipal(team);
    if (!byId.has(principal.id)) byId.set(principal.id, principal);
  }
  return [...byId.values()];
}

export interface GitHubRestriction {
  /** Organization logins or `github_org://<id>`. */
  readonly allowedOrgs: readonly string[];
  /** `org/team-slug` or `github_team://<id>`. */
  readonly allowedTeams: readonly string[];
}

/**
 * True when no restriction is configured, or one of the user's orgs or teams is allowed.
 * Logins and slugs compare case-insensitively, as GitHub treats them.
 */
export function passesRestriction(
  restriction: GitHubRestriction,
  groups: readonly Principal[],
): boolean {
  const { allowedOrgs, allowedTeams } = restriction;
  if (allowedOrgs.length === 0 && allowedTeams.length === 0) return true;
  const allowed = new Set([...allowedOrgs, ...allowedTeams].map((ref) => ref.toLowerCase()));
  // Org logins never contain '/' and team names always do, so one set serves both.
  return groups.some((group) => allowed.has(group.id) || allowed.has(group.name.toLowerCase()));
}
