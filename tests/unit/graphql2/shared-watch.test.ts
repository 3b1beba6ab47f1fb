import { expect } from 'chai';
import {
  KubeApiError,
  type KubeClient,
  type KubeObject,
  type KubeWatchEvent,
} from '../../../src/domain/kube-api.js';
import {
  type SharedChangeType,
  SharedWatchHub,
} from '../../../src/resolvers/project/shared-watch.js';
import { waitFor } from '../../support/wait-for.js';

const cm = (name: string, rv: string): KubeObject => ({
  metadata: { name, namespace: 'ns', resourceVersion: rv },
});

/** A KubeClient whose one resource is a list of config maps and a push-fed watch. */
function fakeKube(initial: KubeObject[]) {
  const calls = { list: 0, watch: 0 };
  let push: ((e: KubeWatchEvent | Error) => void) | undefined;
  const kube = {
    async list() {
      calls.list++;
      return { items: initial, resourceVersion: '10' };
    },
    watch(_c: string, _r: unknown, options: { signal?: AbortSignal }) {
      calls.watch++;
      const queue: (KubeWatchEvent | Error)[] = [];
      let wake: (() => void) | undefined;
      push = (e) => {
        queue.push(e);
        wake?.();
      };
      return (async function* () {
        while (!options.signal?.aborted) {
          const next = queue.shift();
          if (next instanceof Error) throw next;
          if (next !== undefined) yield next;
          else
            await new Promise<void>((r) => {
              wake = r;
              options.signal?.addEventListener('abort', () => r(), { once: true });
            });
        }
      })();
    },
  } as unknown as KubeClient;
  return { kube, calls, emit: (e: KubeWatchEvent | Error) => push?.(e) };
}

describe('SharedWatchHub', () => {
  const resource = {
    group: '',
    version: 'v1',
    resource: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
  };

  it('serves two subscribers of the same identity and target from one downstream list and watch', async () => {
    const fake = fakeKube([cm('a', '5')]);
    const hub = new SharedWatchHub();
    const target = { kube: fake.kube, clusterId: 'one', resource };
    const seen: [string, SharedChangeType, string][] = [];
    const first = hub.watch('k', target);
    await first.ready;
    const one = first.join({
      event: (t, o) => seen.push(['one', t, o.metadata.name!]),
      failed: () => {},
    });
    await waitFor('the watch', () => (fake.calls.watch === 1 ? true : undefined));
    fake.emit({ type: 'ADDED', object: cm('b', '11') });
    await waitFor('b', () => (seen.length === 1 ? true : undefined));

    const second = hub.watch('k', target);
    expect(second).to.equal(first);
    const two = second.join({
      event: (t, o) => seen.push(['two', t, o.metadata.name!]),
      failed: () => {},
    });
    // A late joiner starts from the current objects, including what the watch added since.
    expect(two.snapshot.map((o) => o.metadata.name).sort()).to.deep.equal(['a', 'b']);
    fake.emit({ type: 'DELETED', object: cm('a', '12') });
    await waitFor('a deleted for both', () => (seen.length === 3 ? true : undefined));
    expect(seen.slice(1)).to.deep.equal([
      ['one', 'DELETED', 'a'],
      ['two', 'DELETED', 'a'],
    ]);
    expect(fake.calls).to.deep.equal({ list: 1, watch: 1 });

    one.leave();
    expect(hub.size).to.equal(1);
    two.leave();
    expect(hub.size).to.equal(0);
    expect(first.stopped).to.equal(true);
  });

  it('relists after a 410 Gone and reports only what changed meanwhile', async () => {
    const fake = fakeKube([cm('a', '5'), cm('b', '6')]);
    const hub = new SharedWatchHub();
    const shared = hub.watch('k', { kube: fake.kube, clusterId: 'one', resource });
    await shared.ready;
    const seen: string[] = [];
    shared.join({ event: (t, o) => seen.push(`${t} ${o.metadata.name}`), failed: () => {} });
    await waitFor('the watch', () => (fake.calls.watch === 1 ? true : undefined));
    (fake.kube as unknown as { list: () => Promise<unknown> }).list = async () => ({
      items: [cm('a', '5'), cm('c', '20')],
      resourceVersion: '21',
    });
    const gone = new KubeApiError('one', 'GONE', 'too old resource version', { status: 410 });
    fake.emit(gone);
    await waitFor('the relist', () => (seen.length === 2 ? true : undefined));
    expect(seen.sort()).to.deep.equal(['ADDED c', 'DELETED b']);
  });

  it('ends every subscriber when the downstream refuses the watch for good', async () => {
    const fake = fakeKube([]);
    const hub = new SharedWatchHub();
    const shared = hub.watch('k', { kube: fake.kube, clusterId: 'one', resource });
    await shared.ready;
    let failure: unknown;
    shared.join({ event: () => {}, failed: (err) => (failure = err) });
    await waitFor('the watch', () => (fake.calls.watch === 1 ? true : undefined));
    fake.emit(new Error('forbidden now'));
    await waitFor('the failure', () => (failure === undefined ? undefined : true));
    expect(String(failure)).to.contain('forbidden now');
    expect(hub.size).to.equal(0);
  });
});
