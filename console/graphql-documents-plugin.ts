// What graphql-codegen's babel plugin does, for Vite: each `graphql(`...`)` call becomes the
// document the codegen generated for it (taken from `gql/graphql.ts`), inlined where it is
// used. Without it the client preset's `graphql()` looks documents up in one map of every
// operation, and a bundler splits chunks by module, so every page's queries (and their source
// text, the map's keys) would ride in the first page's bundle.
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

const CALL = /\bgraphql\(\s*`([^`]*)`\s*\)/g;
const DEFINITION = /^\s*(query|mutation|subscription|fragment)\s+([A-Za-z_][A-Za-z0-9_]*)/;
const EXPORT = /^export const (\w+) = (\{.*\}) as unknown as DocumentNode<.*>;$/gm;

export function graphqlDocuments(generatedModule: string): Plugin {
  let documents = new Map<string, string>();
  return {
    name: 'paddock-graphql-documents',
    enforce: 'pre',
    buildStart() {
      documents = new Map();
      for (const m of readFileSync(generatedModule, 'utf8').matchAll(EXPORT)) {
        documents.set(m[1] ?? '', m[2] ?? '');
      }
    },
    transform(code, id) {
      if (!/\.tsx?$/.test(id) || id.includes('/gql/') || !code.includes('graphql(`')) {
        return undefined;
      }
      const out = code.replace(CALL, (whole, body: string) => {
        const m = DEFINITION.exec(body);
        if (!m) return whole;
        const name = m[1] === 'fragment' ? `${m[2]}FragmentDoc` : `${m[2]}Document`;
        const document = documents.get(name);
        if (document === undefined) {
          this.error(`graphql-documents: no generated ${name} for ${id}; run the codegen`);
        }
        return `(${document})`;
      });
      return { code: out, map: null };
    },
  };
}
