import { expect } from 'chai';
import { parsePrincipalId } from '../../../src/resolvers/principal-id.js';

describe('parsePrincipalId', () => {
  it('reads a local user principal', () => {
    expect(parsePrincipalId('local://u-abc12')).to.deep.equal({
      id: 'local://u-abc12',
      provider: 'local',
      kind: 'user',
      name: 'u-abc12',
    });
  });

  it('reads an LDAP group and names it after the first RDN', () => {
    expect(
      parsePrincipalId('openldap_group://cn=dev\\,ops,ou=groups,dc=example,dc=org'),
    ).to.include({
      provider: 'openldap',
      kind: 'group',
      name: 'dev,ops',
    });
  });

  it('treats GitHub orgs and teams as groups', () => {
    expect(parsePrincipalId('github_team://42')?.kind).to.equal('group');
    expect(parsePrincipalId('github_user://7')?.kind).to.equal('user');
  });

  it('does not recognise an unknown provider', () => {
    expect(parsePrincipalId('evil_group://x')).to.equal(undefined);
    expect(parsePrincipalId('no-scheme')).to.equal(undefined);
  });
});
