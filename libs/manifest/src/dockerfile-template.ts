/**
 * Porter's `dockerfile:` templates read as Porter reads them (pkg/build in Porter): the line
 * `# PORTER_INIT` becomes the build arguments Porter declares, or they follow the first FROM when
 * the line is absent; `# PORTER_MIXINS` becomes what the mixins add (nothing: Lading's mixins need
 * no build step); everything Lading adds (its run script, the /cnab layout, the bundle user) comes
 * after the template's last line, so the template can never have the last word on who runs.
 */
import { CodedError } from '@lading/contracts/errors';
import { APP_DIR, BUILD_CONTEXT_APP_DIR, RUNTIME_USER } from './constants.js';

export const PORTER_INIT_TOKEN = '# PORTER_INIT';
export const PORTER_MIXINS_TOKEN = '# PORTER_MIXINS';

/** The build arguments Porter gives every template; BUNDLE_DIR is also passed to the build, as Porter does. */
export const templateBuildArgs: Readonly<Record<string, string>> = { BUNDLE_DIR: APP_DIR };
const [bundleUid, bundleGid] = RUNTIME_USER.split(':');
const initSection = [
  `ARG BUNDLE_DIR=${APP_DIR}`,
  `ARG BUNDLE_UID=${bundleUid}`,
  'ARG BUNDLE_USER=nonroot',
  `ARG BUNDLE_GID=${bundleGid}`,
];

/** A problem with the template that stops the build; the message names the file and line. */
export class DockerfileTemplateError extends CodedError {
  constructor(file: string, line: number, problem: string) {
    super('invalid_request', `${file}:${line}: ${problem}`);
    this.name = 'DockerfileTemplateError';
  }
}

/** Why a `dockerfile:` path cannot name a template in the bundle directory, or undefined. */
export function templatePathProblem(path: string): string | undefined {
  if (path === '' || path.startsWith('/') || path.split('/').some((segment) => segment === '..' || segment === '')) {
    return 'must be a path inside the bundle directory, such as template.Dockerfile';
  }
  if (path.split('/')[0] === '.lading') return 'cannot be under .lading/, which holds what Lading writes';
  return undefined;
}

/** One instruction of the template: its first line number and its physical lines. */
interface Instruction {
  line: number;
  lines: string[];
}

const isComment = (line: string): boolean => line.trimStart().startsWith('#');
const words = (instruction: Instruction): string[] =>
  instruction.lines
    .filter((line, index) => index === 0 || !isComment(line))
    .map((line) => line.replace(/\\\s*$/, ''))
    .join(' ')
    .trim()
    .split(/\s+/);
const keyword = (instruction: Instruction): string => (isComment(instruction.lines[0] ?? '') ? '' : (words(instruction)[0] ?? '').toUpperCase());

/** Splits a template into instructions, joining lines that end in a backslash. */
function instructionsOf(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let open: Instruction | undefined;
  text.split(/\r?\n/).forEach((line, index) => {
    if (open !== undefined) {
      open.lines.push(line);
    } else {
      open = { line: index + 1, lines: [line] };
      instructions.push(open);
    }
    if (isComment(line) && open.lines.length === 1) open = undefined;
    else if (!/\\\s*$/.test(line)) open = undefined;
  });
  if (instructions.at(-1)?.lines.join('') === '') instructions.pop();
  return instructions;
}

interface FromLine {
  instruction: Instruction;
  flags: string[];
  image: string;
  stage?: string;
}

function fromLineOf(file: string, instruction: Instruction): FromLine {
  const [, ...rest] = words(instruction);
  const flags = rest.filter((word) => word.startsWith('--'));
  const [image, as, stage, ...extra] = rest.filter((word) => !word.startsWith('--'));
  const wellFormed = image !== undefined && (as === undefined || (as.toUpperCase() === 'AS' && stage !== undefined && extra.length === 0));
  if (!wellFormed) throw new DockerfileTemplateError(file, instruction.line, 'FROM must name one image, optionally followed by AS <stage>');
  if (image.includes('$')) {
    throw new DockerfileTemplateError(file, instruction.line, `FROM ${image} names its image through a build argument, which Lading cannot pin by digest: write the image reference itself`);
  }
  return { instruction, flags, image, ...(stage === undefined ? {} : { stage: stage.toLowerCase() }) };
}

/**
 * What a template may not say. BuildKit's RUN flags (a cache or secret mount, another network):
 * Docker's classic builder, the one Lading builds with, cannot run them, so they are refused here
 * with what to do rather than left to fail late. VOLUME: Docker would give the bundle an anonymous
 * volume on the host's disk there, and what a bundle writes (secrets included) never goes to disk.
 */
function refuseUnsupported(file: string, instructions: Instruction[]): void {
  for (const instruction of instructions) {
    if (keyword(instruction) === 'VOLUME') {
      throw new DockerfileTemplateError(file, instruction.line, 'VOLUME would keep what the bundle writes there on the Docker host\'s disk: remove it (the runner gives the bundle a writable /cnab/app in memory)');
    }
    if (keyword(instruction) !== 'RUN') continue;
    const flag = words(instruction).slice(1).find((word) => word.startsWith('--'));
    if (flag !== undefined) {
      throw new DockerfileTemplateError(file, instruction.line, `RUN ${flag.replace(/=.*$/, '')} needs BuildKit, which Lading's builder does not use: write a plain RUN (Lading passes no build secrets; files the build needs go in the bundle directory)`);
    }
  }
}

/** One image a template starts a stage from: it is pinned by digest before the build. */
export interface TemplateImage {
  image: string;
  line: number;
}

function fromLines(file: string, instructions: Instruction[]): FromLine[] {
  const froms = instructions.filter((instruction) => keyword(instruction) === 'FROM').map((instruction) => fromLineOf(file, instruction));
  if (froms.length === 0) throw new DockerfileTemplateError(file, 1, 'has no FROM line: start it with FROM and the base image');
  return froms;
}

/** Whether a FROM starts from an earlier stage or from nothing, so there is no image to pin. */
const pinnable = (from: FromLine, earlier: readonly FromLine[]): boolean =>
  from.image.toLowerCase() !== 'scratch' && !earlier.some((stage) => stage.stage === from.image.toLowerCase());

/**
 * The images a template's stages start from, each to be pinned by digest, and the one the last
 * stage (the invocation image) rests on, after following stage names back to an image.
 */
export function templateImages(text: string, file: string): { images: TemplateImage[]; final: string } {
  const instructions = instructionsOf(text);
  refuseUnsupported(file, instructions);
  const froms = fromLines(file, instructions);
  const images = froms.filter((from, index) => pinnable(from, froms.slice(0, index))).map((from) => ({ image: from.image, line: from.instruction.line }));
  let last = froms.length - 1;
  let final = froms[last] as FromLine;
  while (!pinnable(final, froms.slice(0, last))) {
    if (final.image.toLowerCase() === 'scratch') {
      throw new DockerfileTemplateError(file, final.instruction.line, 'the last stage starts FROM scratch, which has no shell for the bundle\'s run script: start it from an image that has sh');
    }
    last = froms.findIndex((stage) => stage.stage === final.image.toLowerCase());
    final = froms[last] as FromLine;
  }
  return { images, final: final.image };
}

/** COPY and ADD read the bundle directory, which the build context holds under `app/`. */
function rebaseCopy(file: string, instruction: Instruction, stages: readonly FromLine[]): string[] {
  const [name = '', ...rest] = words(instruction);
  // --link only changes how BuildKit caches the layer: the classic builder copies the same files without it.
  const flags = rest.filter((word) => word.startsWith('--') && word !== '--link');
  const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
  if (from !== undefined) {
    // An image named here would be pulled by tag; a stage's FROM is pinned like every other.
    if (!/^\d+$/.test(from) && !stages.some((stage) => stage.stage === from.toLowerCase())) {
      throw new DockerfileTemplateError(file, instruction.line, `${name} --from=${from} names an image, which Lading cannot pin there: add a stage \`FROM ${from} AS <name>\` and copy --from=<name>`);
    }
    return instruction.lines;
  }
  const operands = rest.filter((word) => !word.startsWith('--'));
  let paths: string[];
  const json = operands.join(' ').startsWith('[');
  try {
    paths = json ? (JSON.parse(operands.join(' ')) as unknown[]).map(String) : operands;
  } catch {
    throw new DockerfileTemplateError(file, instruction.line, `${name} is not a valid JSON list of paths`);
  }
  if (paths.length < 2) throw new DockerfileTemplateError(file, instruction.line, `${name} needs at least one source and a destination`);
  const destination = paths.at(-1) as string;
  const sources = paths.slice(0, -1).map((source) => {
    if (/^(https?:\/\/|git@)/.test(source)) return source;
    if (source.split('/').includes('..')) {
      throw new DockerfileTemplateError(file, instruction.line, `${name} ${source} leaves the bundle directory: copy files from inside it`);
    }
    const inside = source.replace(/^\/+/, '').replace(/^(\.\/)+/, '');
    return inside === '' || inside === '.' ? `${BUILD_CONTEXT_APP_DIR}/` : `${BUILD_CONTEXT_APP_DIR}/${inside}`;
  });
  const operandText = json ? JSON.stringify([...sources, destination]) : [...sources, destination].join(' ');
  return [[name, ...flags, operandText].join(' ')];
}

/**
 * The template with Porter's markers filled, its FROM images replaced by their pinned references
 * (`pinned`: image as written → repo@sha256:…) and its COPY/ADD sources read from the bundle's
 * files. Lading's own layers follow the returned lines.
 */
export function renderTemplate(text: string, file: string, pinned: ReadonlyMap<string, string>): string[] {
  const instructions = instructionsOf(text);
  const froms = fromLines(file, instructions);
  const rendered: string[][] = instructions.map((instruction) => {
    const kind = keyword(instruction);
    if (kind === 'FROM') {
      const index = froms.findIndex((from) => from.instruction === instruction);
      const from = froms[index] as FromLine;
      if (!pinnable(from, froms.slice(0, index))) return instruction.lines;
      const reference = pinned.get(from.image);
      if (reference === undefined) throw new Error(`${file}:${instruction.line}: FROM ${from.image} was not pinned before rendering`);
      return [['FROM', ...from.flags, reference, ...(from.stage === undefined ? [] : ['AS', from.stage])].join(' ')];
    }
    if (kind === 'COPY' || kind === 'ADD') {
      const earlier = froms.filter((from) => from.instruction.line < instruction.line);
      return rebaseCopy(file, instruction, earlier);
    }
    return instruction.lines;
  });
  const tokenAt = (token: string) => instructions.findIndex((instruction) => (instruction.lines[0] ?? '').trim().startsWith(token));
  const init = tokenAt(PORTER_INIT_TOKEN);
  if (init >= 0) rendered[init] = initSection;
  else {
    const first = instructions.indexOf(froms[0]?.instruction as Instruction);
    rendered[first] = [...(rendered[first] ?? []), ...initSection];
  }
  // Lading's mixins add nothing to the image; the marker's place is kept empty, as Porter keeps it for exec.
  const mixins = tokenAt(PORTER_MIXINS_TOKEN);
  if (mixins >= 0) rendered[mixins] = [];
  return rendered.flat();
}
