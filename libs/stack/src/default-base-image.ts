import { baseImageRepository, baseImageTag } from './base-image.js';

/**
 * The base image a bundle gets when its manifest names none (porter.yaml never does): the one
 * `lading up` seeds, behind the stack's front door. The one home of that default.
 */
export function defaultBaseImage(frontDoor: string): string {
  return `${frontDoor}/${baseImageRepository}:${baseImageTag}`;
}
