import { describe, expect, it } from 'vitest';
import { readOtlpSettings } from './otlp-settings.js';
import { processResource } from './process-resource.js';
import { withPresetSpanId } from './preset-span-ids.js';

const endpoint = 'http://127.0.0.1:4318';

describe('the standard OTEL_* settings', () => {
  it('exports nothing unless an OTLP endpoint is set', () => {
    expect(readOtlpSettings({})).toEqual({ traces: undefined, metrics: undefined });
    expect(readOtlpSettings({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toEqual({ traces: undefined, metrics: undefined });
  });

  it('speaks http/protobuf by default and http/json when asked, per signal too', () => {
    expect(readOtlpSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint })).toEqual({ traces: { protocol: 'http/protobuf' }, metrics: { protocol: 'http/protobuf' } });
    expect(readOtlpSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).traces).toEqual({ protocol: 'http/json' });
    expect(readOtlpSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoint}/v1/traces` })).toEqual({ traces: { protocol: 'http/protobuf' }, metrics: undefined });
  });

  it('turns a signal off with OTEL_*_EXPORTER=none, and everything with OTEL_SDK_DISABLED', () => {
    expect(readOtlpSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_EXPORTER: 'none' })).toEqual({ traces: undefined, metrics: { protocol: 'http/protobuf' } });
    expect(readOtlpSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SDK_DISABLED: 'true' })).toEqual({});
  });

  it('refuses a protocol or exporter it does not speak in one sentence', () => {
    expect(() => readOtlpSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      /^OTEL_EXPORTER_OTLP_PROTOCOL must be http\/protobuf or http\/json, not "grpc"\.$/,
    );
    expect(() => readOtlpSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow('OTEL_TRACES_EXPORTER must be otlp or none, not "zipkin".');
  });

  it('refuses a number that is not one at start, in one sentence, instead of reading it as NaN', () => {
    for (const [variable, bad] of [['OTEL_METRIC_EXPORT_INTERVAL', 'soon'], ['OTEL_EXPORTER_OTLP_TIMEOUT', '-1'], ['OTEL_BSP_MAX_QUEUE_SIZE', '1.5']] as const) {
      expect(() => readOtlpSettings({ [variable]: bad }), variable).toThrow(`${variable} must be a whole number`);
    }
    expect(() => readOtlpSettings({ OTEL_TRACES_SAMPLER_ARG: '1.5' })).toThrow('OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, not "1.5".');
    expect(readOtlpSettings({ OTEL_TRACES_SAMPLER_ARG: '0.25' })).toEqual({ traces: undefined, metrics: undefined });
    expect(() => readOtlpSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/^OTEL_EXPORTER_OTLP_ENDPOINT must be a URL/);
  });
});

describe('the process resource', () => {
  it('says service, version, instance and, on Kubernetes, pod and namespace; the operator’s attributes win', () => {
    const resource = processResource(
      { serviceName: 'lading-runner', serviceVersion: '1.2.3', instanceId: 'runner-0' },
      { LADING_POD_NAME: 'runner-0', LADING_POD_NAMESPACE: 'lading', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,service.version=9.9.9' },
    );
    expect(resource.attributes).toMatchObject({
      'service.name': 'lading-runner',
      'service.instance.id': 'runner-0',
      'k8s.pod.name': 'runner-0',
      'k8s.namespace.name': 'lading',
      'deployment.environment.name': 'prod',
      'service.version': '9.9.9',
    });
  });

  it('carries no Kubernetes attributes off Kubernetes', () => {
    const resource = processResource({ serviceName: 'lading-builder', serviceVersion: '1.0.0' }, {});
    expect(Object.keys(resource.attributes).filter((key) => key.startsWith('k8s.'))).toEqual([]);
  });
});

describe('span ids chosen by a run script', () => {
  it('are refused unless they are 16 lower-case hex digits, not all zero', () => {
    for (const bad of ['0000000000000000', 'ABCDEF0123456789', '123', 'zzzzzzzzzzzzzzzz']) expect(() => withPresetSpanId(bad, () => undefined)).toThrow(/16 lower-case hex/);
  });
});
