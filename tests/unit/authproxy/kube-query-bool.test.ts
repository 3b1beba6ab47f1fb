import { expect } from 'chai';
import { kubeQueryBool } from '../../../src/authproxy/kube-query-bool.js';

// Convert_Slice_string_To_bool (k8s.io/apimachinery pkg/runtime/conversion.go): absent, `0` or
// case-insensitive `false` is false; everything else, the empty value included, is true.
describe('kubeQueryBool reads query booleans as kube-apiserver does', () => {
  const cases: [string, boolean][] = [
    ['', false],
    ['other=true', false],
    ['watch=true', true],
    ['watch=True', true],
    ['watch=TRUE', true],
    ['watch=1', true],
    ['watch=t', true],
    ['watch=yes', true],
    ['watch=no', true],
    ['watch=2', true],
    ['watch=', true],
    ['watch', true],
    ['watch=false', false],
    ['watch=False', false],
    ['watch=FALSE', false],
    ['watch=fAlSe', false],
    // strings.EqualFold folds U+017F (long s) to s.
    ['watch=FAL%C5%BFE', false],
    ['watch=0', false],
    ['watch=00', true],
    ['watch=%20false', true],
    ['watch=false&watch=true', false],
    ['watch=true&watch=false', true],
    ['Watch=true', false],
  ];
  for (const [query, expected] of cases) {
    it(`reads "${query}" as ${expected}`, () => {
      expect(kubeQueryBool(new URLSearchParams(query), 'watch')).to.equal(expected);
    });
  }
});
