/**
 * type-graphql insists on a PubSub once any subscription exists, even when every subscription
 * brings its own `subscribe` (ours stream from downstream watches and the registry). Topics
 * are not used; asking for one is a programming error.
 */
import type { PubSub } from 'type-graphql';

export const noPubSub: PubSub = {
  publish() {
    throw new Error('Paddock subscriptions stream from their own sources; there are no topics');
  },
  subscribe() {
    throw new Error('Paddock subscriptions stream from their own sources; there are no topics');
  },
};
