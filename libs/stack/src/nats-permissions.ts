import {
  adminPrincipal,
  buckets,
  endpoints,
  inboxPrefix,
  objectStores,
  serviceNames,
  streams,
  subjects,
  type ServiceRole,
} from '@lading/contracts';
import type { NatsPermissions } from './types.js';

export const serviceRoles = ['builder', 'guard', 'broker', 'runner'] as const satisfies readonly ServiceRole[];

/** Who may call an endpoint: any principal, the administrator only, or a service role. */
export type EndpointCaller = 'people' | 'admin' | ServiceRole;

/**
 * The one table of who may call what. Every endpoint in @lading/contracts has a line; a test
 * fails when one is missing. People reach endpoints through the people account's imports (so
 * the serving service learns who they are); a service role calls within the services account.
 */
export const endpointCallers: { readonly [Name in keyof typeof endpoints]: readonly EndpointCaller[] } = {
  build: ['people'],
  contextUpload: ['people'],
  publish: ['people'],
  tagAudit: ['admin'],
  tagDrift: ['admin'],
  brokerPublicKey: ['people', 'runner'],
  lease: ['runner'],
  credentialsApply: ['people'],
  credentialsList: ['people'],
  credentialsShow: ['people'],
  credentialsDelete: ['people'],
  parametersApply: ['people'],
  parametersList: ['people'],
  parametersShow: ['people'],
  parametersDelete: ['people'],
  secretsSet: ['people'],
  secretsList: ['people'],
  secretsDelete: ['people'],
  outputsStore: ['runner'],
  secretsRotateKey: ['admin'],
  outputsShow: ['people'],
  leaseAudit: ['people'],
  installationsList: ['people'],
  installationsShow: ['people'],
  installationsRuns: ['people'],
  installationsOutputs: ['people'],
  installationsLogs: ['people'],
  installationsDelete: ['people'],
  installationsForget: ['broker'],
  runsSubmit: ['people'],
  runnersRegister: ['runner'],
  runsClaim: ['runner'],
  runsHeartbeat: ['runner'],
  runsFinish: ['runner'],
};

/** The JetStream streams each service owns: KV buckets and object stores are streams too. */
export const streamOwners: Readonly<Record<string, ServiceRole>> = {
  [streams.runs.name]: 'runner',
  [streams.leaseAudit.name]: 'broker',
  [streams.tagAudit.name]: 'guard',
  [`KV_${buckets.tags}`]: 'guard',
  [`KV_${buckets.installations}`]: 'runner',
  [`KV_${buckets.runs}`]: 'runner',
  [`KV_${buckets.results}`]: 'runner',
  [`KV_${buckets.outputs}`]: 'runner',
  [`KV_${buckets.logs}`]: 'runner',
  [`KV_${buckets.credentialSets}`]: 'broker',
  [`KV_${buckets.parameterSets}`]: 'broker',
  [`KV_${buckets.secrets}`]: 'broker',
  [`KV_${buckets.leases}`]: 'broker',
  [`KV_${buckets.admissions}`]: 'broker',
  [`KV_${buckets.runnerKeys}`]: 'broker',
  [`KV_${buckets.installationLocks}`]: 'broker',
  [`OBJ_${objectStores.buildContexts}`]: 'builder',
};

/**
 * Streams a service reads but does not own: the broker reads the runner's records (a run's
 * sets when it leases, an output's secret name when it shows one). Reading includes opening
 * the bucket, which creates it when its owner has not yet.
 */
export const streamReaders: Readonly<Record<string, readonly ServiceRole[]>> = {
  [`KV_${buckets.installations}`]: ['broker'],
  [`KV_${buckets.runs}`]: ['broker'],
  [`KV_${buckets.outputs}`]: ['broker'],
  [`KV_${buckets.logs}`]: ['broker'],
};

/** The JetStream API calls a reader makes on a stream it does not own. */
export function readerApiSubjects(stream: string): string[] {
  return [
    ...['INFO', 'CREATE', 'MSG.GET'].map((verb) => `$JS.API.STREAM.${verb}.${stream}`),
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    // Listing keys runs an ordered consumer, which the client checks and removes again.
    `$JS.API.CONSUMER.INFO.${stream}.>`,
    `$JS.API.CONSUMER.DELETE.${stream}.>`,
  ];
}

function readStreams(role: ServiceRole): string[] {
  return Object.entries(streamReaders)
    .filter(([, readers]) => readers.includes(role))
    .map(([stream]) => stream);
}

/** Subjects a service publishes into streams (beyond its buckets' own `$KV`/`$O` subjects). */
const streamPublish: Readonly<Record<ServiceRole, readonly string[]>> = {
  builder: [],
  guard: [...streams.tagAudit.subjects],
  // The broker alone puts admitted runs on the runners' work queue.
  broker: [...streams.leaseAudit.subjects, subjects.runs.requested],
  runner: [subjects.runs.eventsAll],
};

/** Every JetStream API call the owner of a stream makes on it. Nobody else makes any. */
export function ownerApiSubjects(stream: string): string[] {
  return [
    ...['INFO', 'CREATE', 'PURGE', 'MSG.GET', 'MSG.DELETE'].map((verb) => `$JS.API.STREAM.${verb}.${stream}`),
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.INFO.${stream}.>`,
    `$JS.API.CONSUMER.DELETE.${stream}.>`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.>`,
    `$JS.ACK.${stream}.>`,
    `$JS.FC.${stream}.>`,
  ];
}

/** The `$KV.<bucket>.>` / `$O.<store>.>` subjects behind an owned stream. */
function storageSubjects(stream: string): string[] {
  if (stream.startsWith('KV_')) return [`$KV.${stream.slice(3)}.>`];
  if (stream.startsWith('OBJ_')) return [`$O.${stream.slice(4)}.>`];
  return [];
}

function ownedStreams(role: ServiceRole): string[] {
  return Object.entries(streamOwners)
    .filter(([, owner]) => owner === role)
    .map(([stream]) => stream);
}

function endpointsCalledBy(caller: EndpointCaller): string[] {
  return Object.entries(endpointCallers)
    .filter(([, callers]) => callers.includes(caller))
    .map(([name]) => endpoints[name as keyof typeof endpoints].subject);
}

/** The subjects of the endpoints people may call: what the services account exports. */
export function peopleEndpointSubjects(): string[] {
  return [...new Set([...endpointsCalledBy('people'), ...endpointsCalledBy('admin')])];
}

/** The subjects the services account exports to people: the endpoints people may call, nothing else. */
export function peopleImportSubjects(): string[] {
  return peopleEndpointSubjects();
}

/** The service owning an endpoint subject: the one whose name is its second token. */
export function endpointOwner(subject: string): ServiceRole {
  const token = subject.split('.')[1];
  const role = serviceRoles.find((candidate) => subjectToken(candidate) === token);
  if (!role) throw new Error(`no service owns ${subject}; fix @lading/contracts`);
  return role;
}

function subjectToken(role: ServiceRole): string {
  return Object.values(subjects[role])[0].split('.')[1];
}

/** The subjects a service serves: its own endpoints, nothing else. */
function servedSubjects(role: ServiceRole): string[] {
  return Object.values(endpoints)
    .map((endpoint) => endpoint.subject)
    .filter((subject) => endpointOwner(subject) === role);
}

/**
 * A service user's permissions, listed positively: the endpoints it calls, the JetStream API
 * of the streams it owns and nothing of anyone else's, its own inbox, the endpoints it serves
 * and the service framework's discovery subjects. Replies go out through `allow_responses`,
 * so no service may publish into another's inbox.
 */
export function servicePermissions(role: ServiceRole): NatsPermissions {
  const owned = ownedStreams(role);
  const name = serviceNames[role];
  return {
    publish: {
      allow: [
        '$JS.API.INFO',
        ...endpointsCalledBy(role),
        ...owned.flatMap(ownerApiSubjects),
        ...owned.flatMap(storageSubjects),
        ...readStreams(role).flatMap(readerApiSubjects),
        ...streamPublish[role],
      ],
    },
    subscribe: {
      allow: [`${inboxPrefix(role)}.>`, ...servedSubjects(role), '$SRV.*', `$SRV.*.${name}`, `$SRV.*.${name}.>`],
    },
    allow_responses: true,
  };
}

/**
 * A principal's permissions in the people account: the endpoints people (and, for the
 * administrator, administrators) may call, its own inbox and its own runs' events.
 */
export function principalPermissions(principal: string): NatsPermissions {
  const admin = principal === adminPrincipal;
  return {
    publish: {
      allow: [...endpointsCalledBy('people'), ...(admin ? endpointsCalledBy('admin') : [])],
    },
    subscribe: {
      allow: [`${inboxPrefix(principal)}.>`, admin ? subjects.runs.eventsAll : subjects.runs.eventsOf(principal)],
    },
  };
}
