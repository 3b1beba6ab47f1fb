import { expect } from 'chai';
import { registryKeysOf, withDefaultRegistry } from '../../../src/apps/values/default-registry.js';
import { diffValues } from '../../../src/apps/values/values-diff.js';
import {
  coalesceValues,
  mergeValues,
  parseValuesInput,
} from '../../../src/apps/values/values-input.js';
import { checkValuesAgainstSchema } from '../../../src/apps/values/values-schema.js';
import { imageWithRegistry } from '../../../src/resolvers/project/image-registry.js';

describe('chart values', () => {
  it('reads values from YAML or JSON, and refuses both at once or a non-map', () => {
    expect(parseValuesInput({ yaml: 'a: 1\nb: { c: x }\n' })).to.deep.equal({
      a: 1,
      b: { c: 'x' },
    });
    expect(parseValuesInput({ json: { a: [1] } })).to.deep.equal({ a: [1] });
    expect(parseValuesInput(undefined)).to.deep.equal({});
    expect(() => parseValuesInput({ yaml: 'a: 1', json: {} })).to.throw(/not both/);
    expect(() => parseValuesInput({ yaml: '- 1\n- 2\n' })).to.throw(/must be a map/);
    expect(() => parseValuesInput({ yaml: 'a: [' })).to.throw(/not YAML/);
  });

  it('coalesces like Helm: maps merge, other values replace, null removes a default', () => {
    const defaults = { image: { repository: 'nginx', tag: '1' }, replicas: 1, extra: { x: 1 } };
    expect(
      coalesceValues(defaults, { image: { tag: '2' }, replicas: 3, extra: null }),
    ).to.deep.equal({
      image: { repository: 'nginx', tag: '2' },
      replicas: 3,
    });
    expect(mergeValues({ a: { b: 1 } }, { a: { c: 2 } })).to.deep.equal({ a: { b: 1, c: 2 } });
  });

  it('lists what changes between two sets of values by dotted path', () => {
    expect(diffValues({ a: 1, b: { c: 2, d: 3 } }, { a: 1, b: { c: 5 }, e: true })).to.deep.equal([
      { path: 'b.c', before: 2, after: 5 },
      { path: 'b.d', before: 3 },
      { path: 'e', after: true },
    ]);
  });

  it('names every value the schema refuses', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { replicas: { type: 'integer', minimum: 0 }, name: { type: 'string' } },
    };
    checkValuesAgainstSchema(schema, { replicas: 2, name: 'x' }, 'demo-1.0.0');
    expect(() => checkValuesAgainstSchema(schema, { replicas: -1, name: 3 }, 'demo-1.0.0'))
      .to.throw(/replicas: must be >= 0; name: must be string/)
      .with.property('code', 'VALIDATION_FAILED');
  });

  it('fills the default registry only where the chart declares it and the caller did not', () => {
    const declares = { global: { systemDefaultRegistry: '', imageRegistry: '' } };
    expect(registryKeysOf(declares)).to.deep.equal([
      'global.systemDefaultRegistry',
      'global.imageRegistry',
    ]);
    expect(withDefaultRegistry(declares, { a: 1 }, 'reg.example.com')).to.deep.equal({
      a: 1,
      global: { systemDefaultRegistry: 'reg.example.com', imageRegistry: 'reg.example.com' },
    });
    expect(
      withDefaultRegistry(declares, { global: { imageRegistry: 'mine.io' } }, 'reg.example.com')
        .global,
    ).to.deep.equal({
      imageRegistry: 'mine.io',
      systemDefaultRegistry: 'reg.example.com',
    });
    expect(withDefaultRegistry({ image: {} }, { a: 1 }, 'reg.example.com')).to.deep.equal({ a: 1 });
    expect(withDefaultRegistry(declares, { a: 1 }, '')).to.deep.equal({ a: 1 });
  });

  it('prefixes the default registry to workload images that name none', () => {
    expect(imageWithRegistry('nginx', 'reg.example.com')).to.equal('reg.example.com/nginx');
    expect(imageWithRegistry('library/nginx:1.27', 'reg.example.com/')).to.equal(
      'reg.example.com/library/nginx:1.27',
    );
    expect(imageWithRegistry('quay.io/a/b:1', 'reg.example.com')).to.equal('quay.io/a/b:1');
    expect(imageWithRegistry('localhost/a', 'reg.example.com')).to.equal('localhost/a');
    expect(imageWithRegistry('host:5000/a', 'reg.example.com')).to.equal('host:5000/a');
    expect(imageWithRegistry('nginx', '')).to.equal('nginx');
  });
});
