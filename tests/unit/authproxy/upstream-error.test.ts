import { expect } from 'chai';
import { upstreamFailure } from '../../../src/authproxy/upstream-error.js';
import { tunnelError } from '../../../src/datasources/tunnel/tunnel-protocol.js';
import { httpStatusOf } from '../../../src/errors/index.js';

describe('upstreamFailure', () => {
  it("answers a failed agent tunnel with 503 and the tunnel's reason", () => {
    const failure = upstreamFailure(tunnelError('the agent tunnel closed'), 'edge');
    expect(httpStatusOf(failure.code)).to.equal(503);
    expect(failure.message).to.equal('cluster edge is unavailable: the agent tunnel closed');
    expect(failure.reason).to.equal('agent_tunnel');
  });

  it('keeps a reset connection a 502 and a refused one a bare 503', () => {
    const reset = upstreamFailure(Object.assign(new Error('x'), { code: 'ECONNRESET' }), 'a');
    expect(httpStatusOf(reset.code)).to.equal(502);
    const refused = upstreamFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'a');
    expect(refused.message).to.equal('cluster a is unavailable');
  });
});
