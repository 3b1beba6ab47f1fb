export { COLLECTOR_NAME, COLLECTOR_NAMESPACE, collectorObjects } from './collector-manifest.js';
export { renderFluentBitConfig } from './fluent-bit-config.js';
export {
  LOGGING_OBJECT_SET,
  LoggingController,
  type LoggingControllerOptions,
} from './logging-controller.js';
export { loggingCollectionSpecs } from './logging-records.js';
export { LoggingService, type LoggingServiceOptions } from './logging-service.js';
