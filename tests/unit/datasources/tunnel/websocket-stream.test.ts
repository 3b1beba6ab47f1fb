import { expect } from 'chai';
import {
  checkStreamFrameHeader,
  streamFrameHeader,
  websocketAccept,
} from '../../../../src/datasources/tunnel/websocket-stream.js';

describe('the paddock-tunnel.v2 carrier (one endless WebSocket message each way)', () => {
  it("computes Sec-WebSocket-Accept as RFC 6455's own example does", () => {
    expect(websocketAccept('dGhlIHNhbXBsZSBub25jZQ==')).to.equal('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('starts a final binary frame announcing 2^63-1 bytes, masked with a zero key from the agent', () => {
    expect(streamFrameHeader(false).toString('hex')).to.equal('827f7fffffffffffffff');
    expect(streamFrameHeader(true).toString('hex')).to.equal('82ff7fffffffffffffff00000000');
    expect(checkStreamFrameHeader(streamFrameHeader(true), true)).to.equal(undefined);
    expect(checkStreamFrameHeader(streamFrameHeader(false), false)).to.equal(undefined);
  });

  it('names what is wrong with any other first frame', () => {
    const masked = () => streamFrameHeader(true);
    const text = masked();
    text[0] = 0x81;
    expect(checkStreamFrameHeader(text, true)).to.match(/not a final binary frame/);
    // 14 bytes read from the agent: an unmasked header and 4 bytes of what follows it.
    const unmasked = Buffer.concat([streamFrameHeader(false), Buffer.from('PRI ')]);
    expect(checkStreamFrameHeader(unmasked, true)).to.match(/not masked/);
    expect(checkStreamFrameHeader(masked(), false)).to.match(/from Paddock is masked/);
    const keyed = masked();
    keyed.writeUInt32BE(0x01020304, 10);
    expect(checkStreamFrameHeader(keyed, true)).to.match(/masking key is not zero/);
    const finite = masked();
    finite.writeBigUInt64BE(1024n, 2);
    expect(checkStreamFrameHeader(finite, true)).to.match(/endless message/);
    const short = Buffer.from([0x82, 0x80 | 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(checkStreamFrameHeader(short, true)).to.match(/endless message/);
    expect(checkStreamFrameHeader(masked().subarray(0, 6), true)).to.match(/incomplete/);
  });
});
