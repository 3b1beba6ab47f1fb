export { AlertController, type AlertControllerOptions } from './alert-controller.js';
export { alertingCollectionSpecs } from './alert-records.js';
export { AlertingService, type AlertingServiceOptions } from './alerting-service.js';
export { NotifierStore } from './notifier-store.js';
export { outboundPolicy, sendOutbound, setOutboundPolicy } from './notifiers/outbound-http.js';
