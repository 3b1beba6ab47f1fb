import { expect } from 'chai';
import type { AccessSubject } from '../../../src/domain/rbac.js';
import { holdsEveryRightOf, holdsEverything } from '../../../src/rbac/index.js';
import { crb, grb, group, prb, stateWith, user } from './fixtures.js';

const subject = (userId: string, groups: string[] = []): AccessSubject => ({
  userId,
  groupPrincipalIds: groups,
});
const DEVS = 'openldap_group://cn=devs';

describe('holdsEveryRightOf: may one user act on another', () => {
  const state = stateWith({
    globalRoleBindings: [
      grb('g1', 'admin', user('u-admin')),
      grb('g2', 'users-manage', user('u-manager')),
      grb('g3', 'user-base', user('u-manager')),
      grb('g4', 'user-base', user('u-plain')),
      grb('g5', 'restricted-admin', user('u-radmin')),
      grb('g6', 'users-manage', user('u-owner')),
      grb('g7', 'user-base', user('u-owner')),
    ],
    clusterRoleBindings: [crb('c1', 'c1', 'cluster-owner', user('u-owner'))],
    projectRoleBindings: [prb('p1', 'c2', 'p-a', 'project-member', group(DEVS))],
  });

  it('lets an admin act on anybody, and a user manager on a plain user', () => {
    for (const target of ['u-manager', 'u-plain', 'u-radmin', 'u-owner']) {
      expect(holdsEveryRightOf(state, subject('u-admin'), subject(target)), target).to.equal(true);
    }
    expect(holdsEveryRightOf(state, subject('u-manager'), subject('u-plain'))).to.equal(true);
  });

  it('refuses a user manager acting on an admin or a restricted admin', () => {
    expect(holdsEveryRightOf(state, subject('u-manager'), subject('u-admin'))).to.equal(false);
    expect(holdsEveryRightOf(state, subject('u-manager'), subject('u-radmin'))).to.equal(false);
  });

  it('refuses a user manager acting on the owner of a cluster it does not own', () => {
    expect(holdsEveryRightOf(state, subject('u-manager'), subject('u-owner'))).to.equal(false);
    // The owner holds users-manage too, and cluster c1: it covers the manager.
    expect(holdsEveryRightOf(state, subject('u-owner'), subject('u-manager'))).to.equal(true);
  });

  it('counts rights a target holds through its groups', () => {
    expect(holdsEveryRightOf(state, subject('u-manager'), subject('u-plain', [DEVS]))).to.equal(
      false,
    );
    expect(
      holdsEveryRightOf(state, subject('u-manager', [DEVS]), subject('u-plain', [DEVS])),
    ).to.equal(true);
  });

  it('names only the admin global role as holding everything', () => {
    expect(holdsEverything(state, subject('u-admin'))).to.equal(true);
    for (const other of ['u-manager', 'u-radmin', 'u-owner', 'u-plain']) {
      expect(holdsEverything(state, subject(other)), other).to.equal(false);
    }
  });
});
