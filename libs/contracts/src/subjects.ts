/**
 * Every NATS subject Lading uses. This file is the only place a subject is spelled out:
 * services and the CLI import these names, and NATS permissions are generated from them.
 */
export const subjects = {
  builder: {
    build: 'lading.builder.build',
    /** One chunk of a build context, named by its digest; only the builder stores contexts. */
    contextUpload: 'lading.builder.contexts.upload',
  },
  guard: {
    publish: 'lading.guard.publish',
    tagAudit: 'lading.guard.audit.tags',
    tagDrift: 'lading.guard.drift',
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
    /** People ask for a run here; the broker admits it and queues it. */
    runsSubmit: 'lading.broker.runs.submit',
    /** People delete an installation here: the broker deletes its secrets, then has the runner forget its records. */
    installationsDelete: 'lading.broker.installations.delete',
    /** Runner-only: a starting runner registers its Ed25519 public key. */
    runnersRegister: 'lading.broker.runners.register',
    /** Runner-only, signed: claim a queued run, keep its installation lock, end it. */
    runsClaim: 'lading.broker.runs.claim',
    runsHeartbeat: 'lading.broker.runs.heartbeat',
    runsFinish: 'lading.broker.runs.finish',
  },
  runner: {
    installationsList: 'lading.runner.installations.list',
    installationsShow: 'lading.runner.installations.show',
    installationsRuns: 'lading.runner.installations.runs',
    installationsOutputs: 'lading.runner.installations.outputs',
    installationsLogs: 'lading.runner.installations.logs',
    /** The broker alone asks here, once it holds the installation's lock and has deleted its secrets. */
    installationsForget: 'lading.runner.installations.forget',
  },
  runs: {
    /** JetStream work-queue subject: one admitted run, queued by the broker, taken by exactly one runner. */
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
