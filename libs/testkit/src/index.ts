export { freePort } from './free-port.js';
export { listenOnLoopback } from './loopback-listener.js';
export { waitForPort } from './wait-for.js';
export { startProcess, type RunningProcess } from './child-process.js';
export { startNatsServer, type TestNatsServer } from './nats-server.js';
export { startRegistry, type TestRegistry, type RegistryAccount, type StartRegistryOptions } from './registry.js';
export { startConnectionCounter, type ConnectionCounter } from './connection-counter.js';
export { startMountRefusingProxy, startRegistryRelay, type MountRefusingProxy, type RegistryRelay, type RegistryRelayOptions } from './registry-relay.js';
export { startingRunState } from './run-state.js';
