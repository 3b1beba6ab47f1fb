import { expect } from 'chai';
import {
  formatAgentToken,
  parseAgentRegistration,
  parseAgentToken,
} from '../../../../src/datasources/tunnel/tunnel-protocol.js';

describe('agent tunnel protocol', () => {
  const secret = 'Zm9v_YmFy-'.repeat(4);

  it('round-trips a registration token whose secret contains underscores', () => {
    const token = formatAgentToken('c-abc12', secret);
    expect(token.startsWith('pdkagent_c-abc12_')).to.equal(true);
    expect(parseAgentToken(token)).to.deep.equal({ clusterId: 'c-abc12', secret });
  });

  it('refuses tokens of another shape', () => {
    for (const bad of [
      '',
      'pdk_abc_def',
      `pdkagent__${secret}`,
      `pdkagent_C-UPPER_${secret}`,
      'pdkagent_c-abc12_short',
      `pdkagent_c-abc12_${secret}!`,
    ]) {
      expect(parseAgentToken(bad), bad).to.equal(undefined);
    }
  });

  it('reads a registration and names the field that is wrong', () => {
    const good = {
      agentVersion: '0.1.0',
      apiServer: 'https://10.96.0.1:443',
      caPem: '-----BEGIN CERTIFICATE-----\n...',
      impersonatorToken: 'i',
      managerToken: 'm',
    };
    expect(parseAgentRegistration(JSON.stringify(good))).to.deep.equal(good);
    expect(() => parseAgentRegistration(JSON.stringify({ ...good, managerToken: '' }))).to.throw(
      /managerToken/,
    );
    expect(() => parseAgentRegistration('not json')).to.throw(/not JSON/);
  });
});
