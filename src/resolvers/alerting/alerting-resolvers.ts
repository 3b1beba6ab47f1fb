import { AlertRuleResolver } from './alert-rule.resolver.js';
import { NotifierResolver } from './notifier.resolver.js';

export const alertingResolvers = [AlertRuleResolver, NotifierResolver] as const;
