import 'reflect-metadata';
import { expect } from 'chai';
import { type GraphQLSchema, parse, specifiedRules, validate } from 'graphql';
import { buildPaddockSchema } from '../../../src/resolvers/build-schema.js';
import { aliasLimitRule } from '../../../src/resolvers/plugins/alias-limit.js';
import { anonymousAccessError } from '../../../src/resolvers/plugins/anonymous-gate.js';
import { costLimitError, operationCost } from '../../../src/resolvers/plugins/cost-limit.js';
import { depthLimitRule } from '../../../src/resolvers/plugins/depth-limit.js';
import {
  introspectionRules,
  isIntrospectionEnabled,
} from '../../../src/resolvers/plugins/introspection.js';
import { tokenLimitParseOptions } from '../../../src/resolvers/plugins/token-limit.js';

describe('GraphQL safety rules', () => {
  let schema: GraphQLSchema;
  before(async () => {
    schema = await buildPaddockSchema();
  });

  const errorsOf = (query: string, rules: Parameters<typeof validate>[2]) =>
    validate(schema, parse(query), [...specifiedRules, ...(rules ?? [])]).map((e) => e.message);

  describe('depth limit', () => {
    it('accepts an operation exactly at the limit', () => {
      expect(errorsOf('{ me { groups { name } } }', [depthLimitRule(3)])).to.deep.equal([]);
    });

    it('refuses an operation one level deeper than the limit', () => {
      expect(errorsOf('{ me { groups { name } } }', [depthLimitRule(2)])).to.deep.equal([
        'operation (anonymous) is nested deeper than 2 levels',
      ]);
    });

    it('counts the depth of fragments where they are spread', () => {
      const query =
        'query Q { clusters { items { ...C } } } fragment C on Cluster { health { state } }';
      expect(errorsOf(query, [depthLimitRule(3)])).to.have.length(1);
      expect(errorsOf(query, [depthLimitRule(4)])).to.deep.equal([]);
    });

    it('does not count introspection subtrees', () => {
      const query = '{ __schema { types { fields { type { ofType { ofType { name } } } } } } }';
      expect(errorsOf(query, [depthLimitRule(1)])).to.deep.equal([]);
    });

    it('checks a document that spreads fragments many times in linear time', () => {
      const fragments = Array.from(
        { length: 30 },
        (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} me { id } }`,
      ).join('\n');
      const query = `{ ...F0 } ${fragments} fragment F30 on Query { me { id } }`;
      const started = process.hrtime.bigint();
      validate(schema, parse(query), [depthLimitRule(5)]);
      expect(Number(process.hrtime.bigint() - started) / 1e6).to.be.below(1000);
    });
  });

  describe('alias limit', () => {
    it('refuses a document with more aliases than allowed', () => {
      const fields = Array.from({ length: 4 }, (_, i) => `a${i}: me { id }`).join(' ');
      expect(errorsOf(`{ ${fields} }`, [aliasLimitRule(3)])).to.deep.equal([
        'the document uses more than 3 aliases',
      ]);
      expect(errorsOf(`{ ${fields} }`, [aliasLimitRule(4)])).to.deep.equal([]);
    });
  });

  describe('cost limit', () => {
    it('multiplies the cost of a paginated field by its page size', () => {
      const small = operationCost({
        schema,
        document: parse('{ clusters(first: 10) { items { id name } } }'),
      });
      const large = operationCost({
        schema,
        document: parse('{ clusters(first: 100) { items { id name } } }'),
      });
      expect(large).to.be.greaterThan(small * 9);
    });

    it('assumes the default page size when first is not given', () => {
      const implicit = operationCost({ schema, document: parse('{ clusters { totalCount } }') });
      const explicit = operationCost({
        schema,
        document: parse('{ clusters(first: 100) { totalCount } }'),
      });
      expect(implicit).to.equal(explicit);
    });

    it('reads page sizes from variables', () => {
      const error = costLimitError(
        {
          schema,
          document: parse('query($n: Int) { clusters(first: $n) { items { id name } } }'),
          variables: { n: 500 },
        },
        1000,
      );
      expect(error?.extensions).to.include({ reason: 'query_too_costly', maxCost: 1000 });
    });

    it('leaves variables that do not coerce to execution', () => {
      const error = costLimitError(
        {
          schema,
          document: parse('query($n: Int) { clusters(first: $n) { totalCount } }'),
          variables: { n: 'many' },
        },
        1,
      );
      expect(error).to.equal(undefined);
    });
  });

  describe('token limit', () => {
    it('makes the parser give up on documents with more tokens than allowed', () => {
      const query = `{ ${'me { id } '.repeat(50)} }`;
      expect(() => parse(query, tokenLimitParseOptions(100))).to.throw(
        /Document contains more tha[nt] 100 tokens/,
      );
      expect(() => parse(query, tokenLimitParseOptions(1000))).not.to.throw();
    });
  });

  describe('introspection switch', () => {
    it('is off in production unless enabled', () => {
      expect(isIntrospectionEnabled({ production: true })).to.equal(false);
      expect(isIntrospectionEnabled({ production: true, enabled: true })).to.equal(true);
      expect(isIntrospectionEnabled({ production: false })).to.equal(true);
      expect(isIntrospectionEnabled({ production: false, enabled: false })).to.equal(false);
    });

    it('refuses __schema when introspection is off', () => {
      expect(errorsOf('{ __schema { queryType { name } } }', introspectionRules(false))).not.to.be
        .empty;
      expect(
        errorsOf('{ __schema { queryType { name } } }', introspectionRules(true)),
      ).to.deep.equal([]);
    });
  });

  describe('anonymous gate', () => {
    const check = (query: string) => {
      const document = parse(query);
      const operation = document.definitions.find((d) => d.kind === 'OperationDefinition');
      if (operation?.kind !== 'OperationDefinition') throw new Error('no operation');
      return anonymousAccessError(schema, document, operation);
    };

    it('lets an anonymous caller log in', () => {
      expect(
        check(
          'mutation { login(input: { provider: "local", username: "a", password: "b" }) { token } }',
        ),
      ).to.equal(undefined);
    });

    it('lets an anonymous caller ask for __typename', () => {
      expect(check('{ __typename }')).to.equal(undefined);
    });

    it('refuses an anonymous caller a protected field hidden in a fragment', () => {
      const error = check('{ __typename ...F } fragment F on Query { me { id } }');
      expect(error?.extensions).to.include({ code: 'UNAUTHENTICATED' });
      expect(error?.message).to.equal('authentication required for me');
    });

    it('refuses an anonymous caller any mutation other than login', () => {
      expect(check('mutation { logout }')?.extensions.code).to.equal('UNAUTHENTICATED');
    });
  });
});
