/**
 * The base images `lading up` makes without the internet and keeps in the stack's own registry,
 * where the guard protects their tags. One table for the stack that seeds them, the builder that
 * defaults to one and `lading create` that names one.
 */
export const baseImages = {
  /** Shaped like Porter's (debian:bookworm-slim): bash, coreutils, ca-certificates, curl, jq, tar, gzip. */
  debian: { repository: 'lading/debian', tag: 'bookworm-slim' },
  /** Debian's static busybox, 2 MB, for bundles whose steps need only sh and its applets. */
  busybox: { repository: 'lading/busybox', tag: 'stable' },
} as const;

export type BaseImageName = keyof typeof baseImages;

/** The base a bundle is built on when its manifest names no `baseImage` (porter.yaml never does). */
export const defaultBaseImageName: BaseImageName = 'debian';

/** The reference of that default behind the stack's front door. */
export function defaultBaseImage(frontDoor: string): string {
  return baseImageReference(frontDoor, defaultBaseImageName);
}

/** `<front door>/<repository>:<tag>` of one of the stack's base images, e.g. 127.0.0.1:5000/lading/debian:bookworm-slim. */
export function baseImageReference(frontDoor: string, name: BaseImageName = defaultBaseImageName): string {
  const { repository, tag } = baseImages[name];
  return `${frontDoor}/${repository}:${tag}`;
}
