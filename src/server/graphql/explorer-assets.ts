/**
 * The GraphiQL explorer, served from the installed npm packages (no CDN): GraphiQL's UMD
 * bundle and stylesheet, React and ReactDOM's UMD builds, and a small start script. Files are
 * read once and kept in memory with a strong ETag.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ExplorerAsset {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** Asset name in the URL → file inside an installed package. */
function assetFiles(): Record<string, { file: string; contentType: string }> {
  const js = 'text/javascript; charset=utf-8';
  return {
    'react.production.min.js': {
      file: join(packageDir('react'), 'umd', 'react.production.min.js'),
      contentType: js,
    },
    'react-dom.production.min.js': {
      file: join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
      contentType: js,
    },
    'graphiql.min.js': { file: join(packageDir('graphiql'), 'graphiql.min.js'), contentType: js },
    'graphiql.min.css': {
      file: join(packageDir('graphiql'), 'graphiql.min.css'),
      contentType: 'text/css; charset=utf-8',
    },
  };
}

/** Renders GraphiQL against the same-origin endpoint; the session cookie goes along. */
function startScript(endpointPath: string): string {
  return `'use strict';
(function () {
  var fetcher = GraphiQL.createFetcher({
    url: ${JSON.stringify(endpointPath)},
    headers: { 'graphql-require-preflight': '1' },
  });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, shouldPersistHeaders: false }));
})();
`;
}

function asset(body: Buffer, contentType: string): ExplorerAsset {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, contentType, etag };
}

export async function loadExplorerAssets(
  endpointPath: string,
): Promise<Map<string, ExplorerAsset>> {
  const assets = new Map<string, ExplorerAsset>();
  for (const [name, { file, contentType }] of Object.entries(assetFiles())) {
    assets.set(name, asset(await readFile(file), contentType));
  }
  assets.set(
    'start.js',
    asset(Buffer.from(startScript(endpointPath), 'utf8'), 'text/javascript; charset=utf-8'),
  );
  return assets;
}

/** The page; every script and style comes from `assetBase`, so the CSP needs no inline code. */
export function explorerPage(assetBase: string): string {
  const src = (name: string) => `${assetBase}/${name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Paddock GraphQL explorer</title>
<link rel="stylesheet" href="${src('graphiql.min.css')}">
<link rel="stylesheet" href="${src('explorer.css')}">
</head>
<body>
<div id="graphiql">Loading the GraphQL explorer…</div>
<script src="${src('react.production.min.js')}"></script>
<script src="${src('react-dom.production.min.js')}"></script>
<script src="${src('graphiql.min.js')}"></script>
<script src="${src('start.js')}"></script>
</body>
</html>
`;
}

export const EXPLORER_CSS = 'html, body, #graphiql { height: 100%; margin: 0; }\n';

/** Only same-origin scripts; GraphiQL sets inline styles and uses data: URLs for icons. */
export const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
