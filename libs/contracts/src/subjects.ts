/**
 * Every NATS subject Lading uses. This file is the only place a subject is spelled out:
 * services and the CLI import these names, and NATS permissions are generated from them.
 */
export const subjects = {
  builder: {
    build: 'lading.builder.build',
  },
  guard: {
    publish: 'lading.guard.publish',
    tagAudit: 'lading.guard.audit.tags',
  },
  broker: {
    publicKey: 'lading.broker.key',
    lease: 'lading.broker.lease',
    credentialsApply: 'lading.broker.credentials.apply',
    credentialsList: 'lading.broker.credentials.list',
    credentialsShow: 'lading.broker.credentials.show',
    credentialsDelete: 'lading.broker.credentials.delete',
    parametersApply: 'lading.broker.parameters.apply',
    parametersList: 'lading.broker.parameters.list',
    parametersShow: 'lading.broker.parameters.show',
    parametersDelete: 'lading.broker.parameters.delete',
    secretsSet: 'lading.broker.secrets.set',
    secretsList: 'lading.broker.secrets.list',
    secretsDelete: 'lading.broker.secrets.delete',
    outputsStore: 'lading.broker.outputs.store',
    secretsRotateKey: 'lading.broker.secrets.rotatekey',
    outputsShow: 'lading.broker.outputs.show',
    leaseAudit: 'lading.broker.leases.audit',
  },
  runner: {
    installationsList: 'lading.runner.installations.list',
    installationsShow: 'lading.runner.installations.show',
    installationsRuns: 'lading.runner.installations.runs',
    installationsOutputs: 'lading.runner.installations.outputs',
    installationsLogs: 'lading.runner.installations.logs',
  },
  runs: {
    /** JetStream work-queue subject: one run request, taken by exactly one runner. */
    requested: 'lading.runs.requested',
    /**
     * Live events of one run (status and redacted log lines), under the principal who asked for
     * it: each principal may listen to its own runs only.
     */
    events: (principal: string, runId: string) => `lading.runs.events.${principal}.${runId}`,
    eventsOf: (principal: string) => `lading.runs.events.${principal}.>`,
    eventsAll: 'lading.runs.events.>',
  },
} as const;

/** The NATS service-framework names, discoverable with `$SRV.PING`. */
export const serviceNames = {
  builder: 'lading-builder',
  guard: 'lading-registry-guard',
  broker: 'lading-secret-broker',
  runner: 'lading-runner',
} as const;

export type ServiceRole = keyof typeof serviceNames;
