import type {
  ClusterUpstream,
  UpstreamCall,
  UpstreamRequest,
  UpstreamSink,
} from '../../domain/cluster-upstream.js';
import type { Http1Upstream } from './http1-upstream.js';
import type { Http2Upstream } from './http2-upstream.js';

/**
 * A cluster's proxied requests: long-lived ones (watches, follows) on shared HTTP/2
 * connections when the cluster offers `h2`, everything else on kept-alive HTTP/1.1
 * connections, which cost less per request on this path than HTTP/2 streams (ADR 0010).
 */
export class UpstreamRouter implements ClusterUpstream {
  constructor(
    readonly http1: Http1Upstream,
    readonly http2: Http2Upstream,
  ) {}

  send(request: UpstreamRequest, sink: UpstreamSink): UpstreamCall {
    const viaHttp1 = () => this.http1.send(request, sink);
    return request.longLived === true ? this.http2.send(request, sink, viaHttp1) : viaHttp1();
  }

  close(): void {
    this.http1.close();
    this.http2.close();
  }
}
