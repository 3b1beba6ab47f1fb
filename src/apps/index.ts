export { type Apps, type AppsDeps, createApps } from './create-apps.js';
export { checkHelmBinary, type HelmBinaryStatus } from './helm/helm-binary.js';
export type { SelfProxy } from './helm/helm-runner.js';
