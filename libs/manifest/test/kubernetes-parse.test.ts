import { describe, expect, it } from 'vitest';
import { parseManifest, type ExecStep, type TemplatedString } from '../src/internal.js';
import { problems } from './manifest-problems.js';

const porter = (body: string, mixins = '  - exec\n  - kubernetes\n'): string => `schemaVersion: 1.0.1
name: kube
version: 0.1.0
registry: localhost:5000
mixins:
${mixins}credentials:
  - { name: kubeconfig, path: /home/nonroot/.kube/config }
parameters:
  - { name: namespace, type: string, default: demo }
outputs:
  - { name: ip }
${body}`;

/** A step's words as one line: text as written, references as {kind:name} (credentials read as their path). */
const word = (parts: TemplatedString): string =>
  parts.map((part) => (part.kind === 'text' ? part.text : 'name' in part ? `{${part.kind}:${part.name}${'asPath' in part && part.asPath ? ':path' : ''}}` : `{${part.kind}}`)).join('');
const line = (step: ExecStep): string => [step.command, ...step.arguments.map(word)].join(' ');

describe('porter.yaml kubernetes steps become the kubectl commands the mixin runs', () => {
  it('applies each manifest in order at install, then gets each output with its jsonpath', () => {
    const manifest = parseManifest(
      porter(`install:
  - kubernetes:
      description: Install Hello World App
      manifests: [manifests/hello, "manifests/\${ bundle.parameters.namespace }.yaml"]
      namespace: "\${ bundle.parameters.namespace }"
      selector: app=hello
      context: prod
      kubeConfig: "\${ bundle.credentials.kubeconfig }"
      record: true
      validate: false
      outputs:
        - { name: ip, resourceType: service, resourceName: hello, namespace: default, jsonPath: "{.spec.clusterIP}" }
        - { name: later, resourceType: configmap, resourceName: "\${ bundle.parameters.namespace }", jsonPath: "{.data}" }
uninstall:
  - kubernetes:
      manifests: [manifests/hello]
`),
      'porter.yaml',
    );
    const install = manifest.actions.install as ExecStep[];
    expect(install.map(line)).toEqual([
      'kubectl apply -f manifests/hello -n {parameter:namespace} --record=true --selector=app=hello --context=prod --kubeconfig={credential:kubeconfig:path} --validate=false --wait',
      'kubectl apply -f manifests/{parameter:namespace}.yaml -n {parameter:namespace} --record=true --selector=app=hello --context=prod --kubeconfig={credential:kubeconfig:path} --validate=false --wait',
      'kubectl get service hello -o=jsonpath={.spec.clusterIP} --namespace=default',
      'kubectl get configmap {parameter:namespace} -o=jsonpath={.data}',
    ]);
    expect(install.map((step) => [step.mixin, step.description])).toEqual(Array(4).fill(['kubernetes', 'Install Hello World App']));
    expect(install.map((step) => step.outputs)).toEqual([[], [], [{ name: 'ip', stdout: true }], [{ name: 'later', stdout: true }]]);
    expect((manifest.actions.uninstall as ExecStep[]).map(line)).toEqual(['kubectl delete --ignore-not-found=true -f manifests/hello --wait']);
  });

  it('reads force, gracePeriod, timeout and wait at uninstall as the mixin does: force means a grace period of 0', () => {
    const actions = parseManifest(
      porter(`install:
  - kubernetes: { manifests: [a.yaml], wait: false }
uninstall:
  - kubernetes: { manifests: [a.yaml], force: true, wait: false }
  - kubernetes: { manifests: [b.yaml], gracePeriod: 30, timeout: 60, namespace: demo }
  - kubernetes: { manifests: [c.yaml], gracePeriod: 0, selector: "" }
`),
      'porter.yaml',
    ).actions;
    expect((actions.install as ExecStep[]).map(line)).toEqual(['kubectl apply -f a.yaml']);
    expect((actions.uninstall as ExecStep[]).map(line)).toEqual([
      'kubectl delete --ignore-not-found=true -f a.yaml --force --grace-period=0',
      'kubectl delete --ignore-not-found=true -f b.yaml -n demo --grace-period=30 --timeout=60s --wait',
      'kubectl delete --ignore-not-found=true -f c.yaml --force --grace-period=0 --wait',
    ]);
  });

  it('applies at upgrade and in custom actions with the mixin\'s extra flags', () => {
    const actions = parseManifest(
      porter(`install:
  - kubernetes: { manifests: [a.yaml] }
upgrade:
  - kubernetes: { manifests: [a.yaml], prune: true, overwrite: false, timeout: 90, force: true, selector: app=a }
rollout:
  - kubernetes: { manifests: [a.yaml], gracePeriod: 5, overwrite: true, prune: false }
`),
      'porter.yaml',
    ).actions;
    expect((actions.upgrade as ExecStep[]).map(line)).toEqual([
      'kubectl apply -f a.yaml --selector=app=a --force --grace-period=0 --prune=true --overwrite=false --timeout=90s --wait',
    ]);
    expect((actions.rollout as ExecStep[]).map(line)).toEqual(['kubectl apply -f a.yaml --grace-period=5 --wait']);
  });

  it('accepts the mixin declared with a clientVersion, and exec and kubernetes steps side by side', () => {
    const manifest = parseManifest(
      porter(
        `install:
  - exec: { command: echo, arguments: [before] }
  - kubernetes: { manifests: [a.yaml] }
`,
        '  - exec\n  - kubernetes:\n      clientVersion: v1.32.4\n',
      ),
      'porter.yaml',
    );
    expect((manifest.actions.install as ExecStep[]).map(line)).toEqual(['echo before', 'kubectl apply -f a.yaml --wait']);
  });
});

describe('kubernetes steps that cannot run are refused, every problem at once', () => {
  it('names each wrong field with its place', () => {
    expect(
      problems(
        porter(
          `install:
  - kubernetes:
      manifests: [a.yaml, ""]
      gracePeriod: 10
      outputs:
        - { name: ip, resourceType: service, resourceName: hello }
        - { name: x, resourceType: service, resourceName: "\${ bundle.parameters.nope }", jsonPath: "{.a}" }
  - kubernetes: { description: no manifests }
  - kubernetes: { manifests: [a.yaml], wait: "yes" }
upgrade:
  - kubernetes: { manifests: [a.yaml], force: true, gracePeriod: 10, timeout: -1 }
uninstall:
  - kubernetes: { manifests: [a.yaml], outputs: [] }
`,
          '  - exec\n  - kubernetes:\n      clientVersion: "1.32"\n',
        ),
      ),
    ).toEqual([
      'porter.yaml:8:22: mixins[1].kubernetes.clientVersion must be a kubectl 1.x version such as v1.32.4',
      'porter.yaml:17:27: install[0].kubernetes.manifests[1] must name a manifest file or directory in the bundle, such as manifests/app.yaml',
      'porter.yaml:18:7: install[0].kubernetes.gracePeriod is not a known field of install[0].kubernetes; use one of description, namespace, manifests, selector, context, kubeConfig, wait, record, validate, outputs',
      'porter.yaml:20:11: install[0].kubernetes.outputs[0].jsonPath is required',
      'porter.yaml:21:59: install[0].kubernetes.outputs[1].resourceName refers to parameter "nope", which is not declared under parameters',
      'porter.yaml:22:17: install[1].kubernetes.manifests is required',
      'porter.yaml:23:46: install[2].kubernetes.wait must be true or false',
      'porter.yaml:25:66: upgrade[0].kubernetes.gracePeriod must be 0 when force is true (force deletes at once); leave gracePeriod out or set force to false',
      'porter.yaml:25:79: upgrade[0].kubernetes.timeout must be a whole number of seconds, 0 or more',
      'porter.yaml:27:40: uninstall[0].kubernetes.outputs is not a known field of uninstall[0].kubernetes; use one of description, namespace, manifests, selector, context, kubeConfig, wait, force, gracePeriod, timeout',
    ]);
  });

  it('refuses a kubernetes step the mixins do not declare, and one in lading.yaml', () => {
    expect(problems(porter('install:\n  - kubernetes: { manifests: [a.yaml] }\n', '  - exec\n'))).toEqual([
      'porter.yaml:14:5: install[0].kubernetes uses the kubernetes mixin, which mixins does not declare; add "- kubernetes" to mixins',
    ]);
    const lading = 'schemaVersion: 1.0.0\nname: kube\nversion: 0.1.0\nregistry: localhost:5000\ninstall:\n  - kubernetes: { manifests: [a.yaml] }\n';
    expect(problems(lading, 'lading.yaml')).toEqual([
      'lading.yaml:6:5: install[0].kubernetes uses the kubernetes mixin, which Lading does not have; Lading runs only the exec mixin: call the tool from an exec step, on a base image or a dockerfile template that installs it',
    ]);
  });
});
