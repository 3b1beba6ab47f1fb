import { AppResolver } from './app.resolver.js';
import { CatalogResolver } from './catalog.resolver.js';
import { MultiClusterAppResolver } from './multi-cluster-app.resolver.js';

export const appsLayerResolvers = [CatalogResolver, AppResolver, MultiClusterAppResolver] as const;
