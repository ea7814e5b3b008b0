/**
 * Porter's `dockerfile:` templates: the markers as Porter fills them, every FROM pinned, COPY read
 * from the bundle's files, and Lading's layers after the template's last line whatever it says.
 */
import { describe, expect, it } from 'vitest';
import { DockerfileTemplateError, ManifestError, parseManifest, renderDockerfile, templateImages } from '../src/index.js';

const digest = `sha256:${'a'.repeat(64)}`;
const pinnedTo = (repository: string) => `127.0.0.1:5000/${repository}@${digest}`;
const manifest = parseManifest(
  `schemaVersion: 1.0.1
name: templated
version: 0.1.0
registry: 127.0.0.1:5000/bundles
dockerfile: template.Dockerfile
mixins: [exec]
install:
  - exec: { command: echo, arguments: [hi] }
`,
  'porter.yaml',
);

/** The rendered Dockerfile's lines, every FROM image pinned to a stand-in digest. */
function render(template: string): string[] {
  const { images, final } = templateImages(template, 'template.Dockerfile');
  const pinned = new Map(images.map(({ image }) => [image, pinnedTo(image.replace(/[:@].*$/, ''))]));
  const text = renderDockerfile(manifest, { baseImageDigestRef: pinned.get(final) as string, template: { text: template, pinned } });
  return text.split('\n');
}

function refusal(template: string): string {
  try {
    render(template);
  } catch (error) {
    expect(error).toBeInstanceOf(DockerfileTemplateError);
    return (error as Error).message;
  }
  throw new Error('expected the template to be refused');
}

const initArgs = ['ARG BUNDLE_DIR=/cnab/app', 'ARG BUNDLE_UID=65532', 'ARG BUNDLE_USER=nonroot', 'ARG BUNDLE_GID=65532'];

describe('porter.yaml dockerfile', () => {
  it('is read as a path in the bundle directory', () => {
    expect(manifest.dockerfile).toBe('template.Dockerfile');
  });

  it.each(['../outside.Dockerfile', '/etc/Dockerfile', '.lading/Dockerfile', 'a//b'])('refuses %s', (path) => {
    const text = `schemaVersion: 1.0.1\nname: t\nversion: 0.1.0\nregistry: r.example\ndockerfile: ${path}\ninstall:\n  - exec: { command: echo }\n`;
    expect(() => parseManifest(text, 'porter.yaml')).toThrow(ManifestError);
  });

  it('cannot be given together with baseImage in lading.yaml', () => {
    const text = `name: t\nversion: 0.1.0\nregistry: r.example\nbaseImage: r.example/base:1\ndockerfile: t.Dockerfile\ninstall:\n  - exec: { command: echo }\n`;
    expect(() => parseManifest(text, 'lading.yaml')).toThrow(/dockerfile and baseImage both name the base image/);
  });
});

describe('Porter\'s markers', () => {
  it('puts the build arguments where # PORTER_INIT is and nothing where # PORTER_MIXINS is', () => {
    const lines = render('FROM debian:stable-slim\nRUN echo before\n# PORTER_INIT\nRUN echo middle\n# PORTER_MIXINS\nRUN echo after\n');
    const at = (line: string) => lines.indexOf(line);
    expect(lines.slice(at('RUN echo before') + 1, at('RUN echo middle'))).toEqual(initArgs);
    expect(lines).not.toContain('# PORTER_INIT');
    expect(lines).not.toContain('# PORTER_MIXINS');
    expect(at('RUN echo after')).toBe(at('RUN echo middle') + 1);
  });

  it('puts the build arguments right after the first FROM when # PORTER_INIT is absent, as Porter does', () => {
    const lines = render('FROM debian:stable-slim AS tools\nRUN echo one\nFROM tools\nRUN echo two\n');
    const first = lines.findIndex((line) => line.startsWith('FROM '));
    expect(lines.slice(first + 1, first + 5)).toEqual(initArgs);
    expect(lines[first + 5]).toBe('RUN echo one');
  });

  it('keeps the template\'s lines in order, continuations and comments included', () => {
    const lines = render('FROM debian:stable-slim\n# a comment \\\nRUN apt-get update \\\n  && apt-get install -y jq\n');
    expect(lines).toContain('# a comment \\');
    expect(lines.slice(lines.indexOf('RUN apt-get update \\'), lines.indexOf('RUN apt-get update \\') + 2)).toEqual(['RUN apt-get update \\', '  && apt-get install -y jq']);
  });
});

describe('the template\'s images', () => {
  it('are every FROM but stage names and scratch, each pinned by digest where it stands', () => {
    const template = 'FROM --platform=linux/amd64 debian:stable-slim AS build\nFROM scratch AS empty\nFROM build AS final\nFROM r.example/tools:2\nCOPY --from=build /x /x\n';
    expect(templateImages(template, 't')).toEqual({
      images: [
        { image: 'debian:stable-slim', line: 1 },
        { image: 'r.example/tools:2', line: 4 },
      ],
      final: 'r.example/tools:2',
    });
    const froms = render(template).filter((line) => line.startsWith('FROM '));
    expect(froms).toEqual([`FROM --platform=linux/amd64 ${pinnedTo('debian')} AS build`, 'FROM scratch AS empty', 'FROM build AS final', `FROM ${pinnedTo('r.example/tools')}`]);
  });

  it('follow stage names back to the image the last stage rests on', () => {
    expect(templateImages('FROM r.example/base:1 AS one\nFROM one AS two\nFROM two\n', 't').final).toBe('r.example/base:1');
  });

  it.each([
    ['ARG BASE=debian\nFROM ${BASE}\n', 't:2: FROM ${BASE} names its image through a build argument, which Lading cannot pin by digest'],
    ['RUN echo no base\n', 't:1: has no FROM line'],
    ['FROM r.example/base:1 AS x\nFROM scratch\n', 't:2: the last stage starts FROM scratch'],
    ['FROM r.example/base:1 AS\n', 't:1: FROM must name one image'],
  ])('refuses %j with one line', (template, problem) => {
    expect(() => templateImages(template, 't')).toThrow(problem);
  });
});

describe('COPY and ADD in a template', () => {
  it('read the bundle directory, as Porter\'s build context is', () => {
    const lines = render('FROM debian:stable-slim AS tools\nCOPY . ${BUNDLE_DIR}\nCOPY --link --chown=1:1 ./a.sh b/ /opt/\nADD ["conf dir/x", "/etc/x"]\nADD https://example.com/f /f\nCOPY --from=tools /bin/ls /ls\n');
    expect(lines).toContain('COPY app/ ${BUNDLE_DIR}');
    expect(lines).toContain('COPY --chown=1:1 app/a.sh app/b/ /opt/');
    expect(lines).toContain('ADD ["app/conf dir/x","/etc/x"]');
    expect(lines).toContain('ADD https://example.com/f /f');
    expect(lines).toContain('COPY --from=tools /bin/ls /ls');
  });

  it('copy from an image only through a stage, whose FROM is pinned', () => {
    expect(refusal('FROM debian:stable-slim\nCOPY --from=busybox:latest /bin/busybox /bb\n')).toMatch(/^template\.Dockerfile:2: COPY --from=busybox:latest names an image, which Lading cannot pin there/);
  });

  it('cannot reach outside the bundle directory', () => {
    expect(refusal('FROM debian:stable-slim\nCOPY ../secret /x\n')).toBe('template.Dockerfile:2: COPY ../secret leaves the bundle directory: copy files from inside it');
  });
});

describe('what a template cannot override', () => {
  it('ends as the bundle user, after the template\'s last line, whatever USER, ENTRYPOINT or CMD it set', () => {
    const lines = render('FROM debian:stable-slim\n# PORTER_MIXINS\nUSER root\nENTRYPOINT ["/bin/sh"]\nCMD ["-c", "id"]\nSHELL ["/bin/false"]\n');
    const users = lines.filter((line) => line.startsWith('USER '));
    expect(users.at(-1)).toBe('USER 65532:65532');
    expect(lines.lastIndexOf('USER 65532:65532')).toBeGreaterThan(lines.indexOf('USER root'));
    // Lading's own RUN runs as root with sh, then the entry point and an empty CMD are Lading's.
    expect(lines.indexOf('USER 0:0')).toBeGreaterThan(lines.indexOf('SHELL ["/bin/false"]'));
    expect(lines.indexOf('SHELL ["/bin/sh", "-c"]')).toBeGreaterThan(lines.indexOf('SHELL ["/bin/false"]'));
    expect(lines.filter((line) => line.startsWith('ENTRYPOINT ')).at(-1)).toBe('ENTRYPOINT ["/cnab/lading/run"]');
    expect(lines.filter((line) => line.startsWith('CMD ')).at(-1)).toBe('CMD []');
  });

  it('refuses VOLUME, which would put what the bundle writes on the host\'s disk', () => {
    expect(refusal('FROM debian:stable-slim\nVOLUME /tmp\n')).toMatch(/^template\.Dockerfile:2: VOLUME would keep what the bundle writes there on the Docker host's disk: remove it/);
  });

  it('refuses BuildKit\'s RUN flags with what to do', () => {
    expect(refusal('FROM debian:stable-slim\nRUN --mount=type=secret,id=token cat /run/secrets/token\n')).toMatch(
      /^template\.Dockerfile:2: RUN --mount needs BuildKit, which Lading's builder does not use: write a plain RUN/,
    );
  });
});
