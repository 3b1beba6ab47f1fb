// Builds the web console into dist/console (served by Paddock at /). Vite's own Oxc transform
// handles TypeScript and JSX, Rolldown bundles; one small local plugin inlines the generated
// document of each `graphql()` call, so each page's operations load with the page.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { graphqlDocuments } from './graphql-documents-plugin.js';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  plugins: [graphqlDocuments(fileURLToPath(new URL('./src/gql/graphql.ts', import.meta.url)))],
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 600,
    // Chromium supports module preload natively; the polyfill would be an inline-free extra.
    modulePreload: { polyfill: false },
  },
});
