/** A pod's log, read as the caller (`pods/log`), the way `kubectl logs --tail` does. */
import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { kubeClient, visibleCluster } from '../cluster/kube-access.js';
import { dnsLabel, invalid, objectName } from '../cluster/validate-input.js';
import type { GraphQLContext } from '../context.js';

const MAX_TAIL_LINES = 10_000;
/** Bounds the answer whatever the lines hold. */
const MAX_LOG_BYTES = 1024 * 1024;

@Resolver()
export class PodLogsResolver {
  @Authorized()
  @Query(() => String, {
    description:
      'The last lines of a container log (default 200, at most 10000, at most 1 MiB), read as the caller.',
  })
  async podLogs(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('namespace') namespace: string,
    @Arg('name') name: string,
    @Arg('container', () => String, { nullable: true }) container: string | null | undefined,
    @Arg('tailLines', () => Int, { nullable: true }) tailLines: number | null | undefined,
    @Arg('previous', () => Boolean, {
      nullable: true,
      description: 'The previous, terminated container (after a restart).',
    })
    previous: boolean | null | undefined,
  ): Promise<string> {
    dnsLabel('namespace', namespace);
    objectName('name', name);
    if (container != null) dnsLabel('container', container);
    const tail = tailLines ?? 200;
    if (!Number.isInteger(tail) || tail < 1 || tail > MAX_TAIL_LINES) {
      throw invalid('tailLines', `must be an integer from 1 to ${MAX_TAIL_LINES}`);
    }
    await visibleCluster(ctx, clusterId);
    return kubeClient(ctx).logs(clusterId, namespace, name, {
      tailLines: tail,
      limitBytes: MAX_LOG_BYTES,
      ...(container == null ? {} : { container }),
      ...(previous ? { previous: true } : {}),
    });
  }
}
