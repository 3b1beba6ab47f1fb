export { type AgentIo, agentCommand } from './agent-command.js';
export { AgentTunnel, type AgentTunnelOptions, type AgentTunnelState } from './agent-tunnel.js';
export { type ClusterFacts, clusterFacts } from './cluster-facts.js';
export { reconnectDelayMs } from './reconnect-delay.js';
export { createTunnelStreamHandler, type TunnelStreamHandler } from './tunnel-stream-handler.js';
