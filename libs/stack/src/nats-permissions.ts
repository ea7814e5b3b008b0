import { buckets, objectStores, streams, subjects, type ServiceRole } from '@lading/contracts';
import type { NatsPermissions, NatsRole } from './types.js';

export const natsRoles = ['builder', 'guard', 'broker', 'runner', 'cli'] as const satisfies readonly NatsRole[];
const serviceRoles = ['builder', 'guard', 'broker', 'runner'] as const satisfies readonly ServiceRole[];

/** Buckets whose content only the owner may read or write (secret material and leases). */
const privateBuckets: Record<string, ServiceRole> = {
  [buckets.secrets]: 'broker',
  [buckets.leases]: 'broker',
  [buckets.credentialSets]: 'broker',
  [buckets.parameterSets]: 'broker',
};

/** Object stores only the owner may read or write: build contexts, stored by the builder once their digest is verified. */
const privateObjectStores: Record<string, ServiceRole> = {
  [objectStores.buildContexts]: 'builder',
};

/** Buckets everyone may read but only the owner may write. */
const ownedBuckets: Record<string, ServiceRole> = {
  [buckets.tags]: 'guard',
};

/** Streams only the owner may create, change, purge or delete (audits and the work queue). */
const ownedStreams: Record<string, ServiceRole> = {
  [streams.runs.name]: 'runner',
  [streams.leaseAudit.name]: 'broker',
  [streams.tagAudit.name]: 'guard',
};

/** Subjects only the runner may publish: redeeming a lease and storing sensitive outputs. */
const runnerOnlySubjects = [subjects.broker.lease, subjects.broker.outputsStore];

/** Extra subjects a role publishes beyond requests to services. */
const extraPublish: Record<NatsRole, string[]> = {
  builder: [],
  guard: [...streams.tagAudit.subjects],
  broker: [...streams.leaseAudit.subjects],
  runner: [subjects.runs.eventsAll],
  cli: [subjects.runs.requested],
};

const extraSubscribe: Record<NatsRole, string[]> = {
  builder: [],
  guard: [],
  broker: [],
  runner: [],
  cli: [subjects.runs.eventsAll],
};

/** Inboxes, the service framework, JetStream's API, acks and flow control, KV and object stores. */
const sharedPublish = ['_INBOX.>', '$SRV.>', '$JS.API.>', '$JS.ACK.>', '$JS.FC.>', '$KV.>', '$O.>'];
const sharedSubscribe = ['_INBOX.>', '$SRV.>'];

/** The wildcard covering every request subject of a service, derived from its subjects in contracts. */
export function requestNamespace(role: ServiceRole): string {
  const all: string[] = Object.values(subjects[role]);
  const prefix = all[0].split('.').slice(0, 2).join('.');
  const stray = all.find((subject) => !subject.startsWith(`${prefix}.`));
  if (stray) throw new Error(`the ${role} subject ${stray} is outside ${prefix}.>; fix @lading/contracts`);
  return `${prefix}.>`;
}

function streamName(bucket: string): string {
  return `KV_${bucket}`;
}

/** Every way to read or write a bucket through the JetStream API. */
function bucketAccessSubjects(bucket: string): string[] {
  return [`$KV.${bucket}.>`, ...streamAccessSubjects(streamName(bucket))];
}

/** Every way to read or write an object store: its subjects and its stream. */
function objectStoreAccessSubjects(store: string): string[] {
  return [`$O.${store}.>`, ...streamAccessSubjects(`OBJ_${store}`)];
}

/** Every JetStream API call that reads, changes or consumes a stream. */
function streamAccessSubjects(stream: string): string[] {
  return [
    `$JS.API.STREAM.*.${stream}`,
    `$JS.API.STREAM.*.*.${stream}`,
    `$JS.API.STREAM.MSG.*.${stream}`,
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    `$JS.API.CONSUMER.*.${stream}`,
    `$JS.API.CONSUMER.*.${stream}.>`,
    `$JS.API.CONSUMER.*.*.${stream}.>`,
  ];
}

/** Changing a stream's definition or dropping its messages. */
function streamAdminSubjects(stream: string): string[] {
  return ['CREATE', 'UPDATE', 'DELETE', 'PURGE', 'RESTORE', 'MSG.DELETE'].map(
    (verb) => `$JS.API.STREAM.${verb}.${stream}`,
  );
}

/** Writing a bucket: its keys, and its stream's definition and messages. Reading stays open. */
function bucketWriteSubjects(bucket: string): string[] {
  return [`$KV.${bucket}.>`, ...streamAdminSubjects(streamName(bucket))];
}

function notOwnedBy<T>(owners: Record<string, ServiceRole>, role: NatsRole, subjectsOf: (name: string) => T[]): T[] {
  return Object.entries(owners)
    .filter(([, owner]) => owner !== role)
    .flatMap(([name]) => subjectsOf(name));
}

/** The publish and subscribe rules of one NATS user; deny always wins over allow in nats-server. */
export function natsPermissions(role: NatsRole): NatsPermissions {
  const namespaces = serviceRoles.map(requestNamespace);
  const ownNamespace = role === 'cli' ? [] : [requestNamespace(role)];
  const othersNamespaces = serviceRoles.filter((other) => other !== role).map(requestNamespace);
  return {
    publish: {
      allow: [...sharedPublish, ...namespaces, ...extraPublish[role]],
      deny: [
        ...(role === 'runner' ? [] : runnerOnlySubjects),
        ...notOwnedBy(privateBuckets, role, bucketAccessSubjects),
        ...notOwnedBy(privateObjectStores, role, objectStoreAccessSubjects),
        ...notOwnedBy(ownedBuckets, role, bucketWriteSubjects),
        ...notOwnedBy(ownedStreams, role, streamAdminSubjects),
      ],
    },
    subscribe: {
      allow: [...sharedSubscribe, ...ownNamespace, ...extraSubscribe[role]],
      deny: [
        ...othersNamespaces,
        ...notOwnedBy(privateBuckets, role, (bucket) => [`$KV.${bucket}.>`]),
        ...notOwnedBy(privateObjectStores, role, (store) => [`$O.${store}.>`]),
      ],
    },
  };
}
