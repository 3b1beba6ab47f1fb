import { expect } from 'chai';
import { hasErrorCode } from '../../../src/errors/index.js';
import { maskPassword, parseRedisUrl } from '../../../src/store/index.js';

function parseError(url: string): Error {
  try {
    parseRedisUrl(url);
  } catch (error) {
    expect(hasErrorCode(error, 'CONFIG_INVALID'), String(error)).to.equal(true);
    return error as Error;
  }
  throw new Error(`expected ${url} to be refused`);
}

describe('parseRedisUrl', () => {
  it('reads a plain redis:// URL with password and database', () => {
    expect(parseRedisUrl('redis://:s3cret@redis.local:6380/2')).to.deep.equal({
      mode: 'standalone',
      node: { host: 'redis.local', port: 6380 },
      db: 2,
      tls: false,
      password: 's3cret',
    });
  });

  it('defaults the port to 6379 and the database to 0', () => {
    expect(parseRedisUrl('redis://localhost')).to.deep.include({
      node: { host: 'localhost', port: 6379 },
      db: 0,
    });
  });

  it('turns on TLS for rediss:// and keeps an ACL user name', () => {
    expect(parseRedisUrl('rediss://paddock:p%40ss@cache.example.com')).to.deep.include({
      mode: 'standalone',
      tls: true,
      username: 'paddock',
      password: 'p@ss',
    });
  });

  it('reads IPv6 hosts in brackets', () => {
    expect(parseRedisUrl('redis://[::1]:7000')).to.deep.include({
      node: { host: '::1', port: 7000 },
    });
  });

  it('reads a Sentinel URL with several sentinels, master name and database', () => {
    expect(
      parseRedisUrl('redis+sentinel://:pw@s1:26379,s2,[::1]:26380/mymaster/3?sentinelPassword=sp'),
    ).to.deep.equal({
      mode: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      masterName: 'mymaster',
      db: 3,
      sentinelPassword: 'sp',
      tls: false,
      password: 'pw',
    });
  });

  it('reads a Cluster URL with several seed nodes', () => {
    expect(parseRedisUrl('rediss+cluster://n1:7000,n2:7001')).to.deep.equal({
      mode: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      tls: true,
    });
  });

  it('refuses an unknown scheme and lists the accepted forms', () => {
    const error = parseError('http://localhost:6379');
    expect(error.message).to.contain('unknown scheme').and.contain('redis+sentinel://');
  });

  it('refuses a URL that is not a URL at all', () => {
    expect(parseError('localhost:6379').message).to.contain('unknown scheme');
  });

  it('refuses a port outside 1-65535', () => {
    expect(parseError('redis://localhost:70000').message).to.contain('invalid port "70000"');
    expect(parseError('redis://localhost:abc').message).to.contain('invalid port "abc"');
  });

  it('refuses a missing host', () => {
    expect(parseError('redis://').message).to.contain('no host');
    expect(parseError('redis+cluster://a:1,,b:2').message).to.contain('empty host');
  });

  it('refuses several hosts in a plain redis:// URL', () => {
    expect(parseError('redis://a:1,b:2').message).to.contain('exactly one host');
  });

  it('refuses a non-numeric database', () => {
    expect(parseError('redis://localhost/cache').message).to.contain('invalid database number');
  });

  it('refuses a Sentinel URL without a master name', () => {
    expect(parseError('redis+sentinel://s1:26379').message).to.contain('master name is missing');
  });

  it('refuses a database path on a Cluster URL', () => {
    expect(parseError('redis+cluster://n1:7000/1').message).to.contain('no path');
  });

  it('refuses unknown query parameters', () => {
    expect(parseError('redis://localhost?timeout=5').message).to.contain('"timeout"');
  });

  it('never repeats the password in its error messages', () => {
    const error = parseError('redis://admin:hunter2@localhost:99999');
    expect(error.message).to.not.contain('hunter2');
    expect(error.message).to.contain('admin:***@');
  });

  it('masks passwords for logging', () => {
    expect(maskPassword('redis://:pw@h:1')).to.equal('redis://:***@h:1');
    expect(maskPassword('redis://h:1')).to.equal('redis://h:1');
  });
});
