import 'reflect-metadata';
import { expect } from 'chai';
import { getMetadataStorage } from 'type-graphql';
import { buildPaddockSchema } from '../../../src/resolvers/build-schema.js';

// Regression: two resolver classes both declared `moveNamespace`; type-graphql kept one
// silently, so the other layer's clients got a different signature than they were built for.
describe('the Paddock schema', () => {
  it('has no root field declared by two resolvers', async () => {
    await buildPaddockSchema();
    const storage = getMetadataStorage();
    for (const [kind, fields] of [
      ['Query', storage.queries],
      ['Mutation', storage.mutations],
      ['Subscription', storage.subscriptions],
    ] as const) {
      const seen = new Map<string, string>();
      const clashes: string[] = [];
      for (const field of fields) {
        const owner = field.target.name;
        const earlier = seen.get(field.schemaName);
        if (earlier !== undefined && earlier !== owner) {
          clashes.push(`${kind}.${field.schemaName}: ${earlier} and ${owner}`);
        }
        seen.set(field.schemaName, owner);
      }
      expect(clashes, `${kind} fields declared twice`).to.deep.equal([]);
    }
  });
});
