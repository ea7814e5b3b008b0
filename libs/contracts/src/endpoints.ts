import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { subjects } from './subjects.js';
import { buildReplySchema, buildRequestSchema, contextUploadReplySchema, contextUploadRequestSchema } from './messages/build.js';
import { publishReplySchema, publishRequestSchema } from './messages/publish.js';
import { tagAuditReplySchema, tagAuditRequestSchema } from './messages/tag-audit.js';
import { tagDriftReplySchema } from './messages/tag-drift.js';
import {
  setApplyRequestSchema,
  setDeleteReplySchema,
  setKeySchema,
  setListReplySchema,
  setListRequestSchema,
  setShowReplySchema,
} from './messages/value-sets.js';
import {
  brokerPublicKeyReplySchema,
  leaseReplySchema,
  leaseRequestSchema,
  outputStoreReplySchema,
  outputStoreRequestSchema,
  secretDeleteRequestSchema,
  secretListReplySchema,
  secretListRequestSchema,
  secretNameReplySchema,
  secretSetRequestSchema,
} from './messages/secrets.js';
import {
  installationDeleteReplySchema,
  installationForgetReplySchema,
  installationKeySchema,
  installationListReplySchema,
  installationListRequestSchema,
  installationLogsReplySchema,
  installationOutputsReplySchema,
  installationRunsReplySchema,
  installationShowReplySchema,
} from './messages/installations.js';
import {
  leaseAuditReplySchema,
  leaseAuditRequestSchema,
  outputShowReplySchema,
  outputShowRequestSchema,
  secretsRotateKeyReplySchema,
} from './messages/broker-operations.js';
import {
  runClaimReplySchema,
  runFinishReplySchema,
  runHeartbeatReplySchema,
  runnerRegisterReplySchema,
  runnerRegisterRequestSchema,
  runSubmitReplySchema,
  runSubmitRequestSchema,
  signedRunStatementSchema,
} from './messages/run-admission.js';

const empty = z.object({}).default({});

/** Every request/reply endpoint of every service. */
export const endpoints = {
  build: endpoint(subjects.builder.build, buildRequestSchema, buildReplySchema),
  contextUpload: endpoint(subjects.builder.contextUpload, contextUploadRequestSchema, contextUploadReplySchema),
  publish: endpoint(subjects.guard.publish, publishRequestSchema, publishReplySchema),
  tagAudit: endpoint(subjects.guard.tagAudit, tagAuditRequestSchema, tagAuditReplySchema),
  /** Every tag the upstream serves differently from the ledger, found by asking the upstream now. */
  tagDrift: endpoint(subjects.guard.tagDrift, empty, tagDriftReplySchema),

  brokerPublicKey: endpoint(subjects.broker.publicKey, empty, brokerPublicKeyReplySchema),
  lease: endpoint(subjects.broker.lease, leaseRequestSchema, leaseReplySchema),
  credentialsApply: endpoint(subjects.broker.credentialsApply, setApplyRequestSchema, setKeySchema),
  credentialsList: endpoint(subjects.broker.credentialsList, setListRequestSchema, setListReplySchema),
  credentialsShow: endpoint(subjects.broker.credentialsShow, setKeySchema, setShowReplySchema),
  credentialsDelete: endpoint(subjects.broker.credentialsDelete, setKeySchema, setDeleteReplySchema),
  parametersApply: endpoint(subjects.broker.parametersApply, setApplyRequestSchema, setKeySchema),
  parametersList: endpoint(subjects.broker.parametersList, setListRequestSchema, setListReplySchema),
  parametersShow: endpoint(subjects.broker.parametersShow, setKeySchema, setShowReplySchema),
  parametersDelete: endpoint(subjects.broker.parametersDelete, setKeySchema, setDeleteReplySchema),
  secretsSet: endpoint(subjects.broker.secretsSet, secretSetRequestSchema, secretNameReplySchema),
  secretsList: endpoint(subjects.broker.secretsList, secretListRequestSchema, secretListReplySchema),
  secretsDelete: endpoint(subjects.broker.secretsDelete, secretDeleteRequestSchema, secretNameReplySchema),
  outputsStore: endpoint(subjects.broker.outputsStore, outputStoreRequestSchema, outputStoreReplySchema),
  secretsRotateKey: endpoint(subjects.broker.secretsRotateKey, empty, secretsRotateKeyReplySchema),
  outputsShow: endpoint(subjects.broker.outputsShow, outputShowRequestSchema, outputShowReplySchema),
  leaseAudit: endpoint(subjects.broker.leaseAudit, leaseAuditRequestSchema, leaseAuditReplySchema),
  runsSubmit: endpoint(subjects.broker.runsSubmit, runSubmitRequestSchema, runSubmitReplySchema),
  installationsDelete: endpoint(subjects.broker.installationsDelete, installationKeySchema, installationDeleteReplySchema),
  runnersRegister: endpoint(subjects.broker.runnersRegister, runnerRegisterRequestSchema, runnerRegisterReplySchema),
  runsClaim: endpoint(subjects.broker.runsClaim, signedRunStatementSchema, runClaimReplySchema),
  runsHeartbeat: endpoint(subjects.broker.runsHeartbeat, signedRunStatementSchema, runHeartbeatReplySchema),
  runsFinish: endpoint(subjects.broker.runsFinish, signedRunStatementSchema, runFinishReplySchema),

  installationsList: endpoint(subjects.runner.installationsList, installationListRequestSchema, installationListReplySchema),
  installationsShow: endpoint(subjects.runner.installationsShow, installationKeySchema, installationShowReplySchema),
  installationsRuns: endpoint(subjects.runner.installationsRuns, installationKeySchema, installationRunsReplySchema),
  installationsOutputs: endpoint(subjects.runner.installationsOutputs, installationKeySchema, installationOutputsReplySchema),
  installationsLogs: endpoint(subjects.runner.installationsLogs, installationKeySchema, installationLogsReplySchema),
  installationsForget: endpoint(subjects.runner.installationsForget, installationKeySchema, installationForgetReplySchema),
} as const;
