/**
 * Signatures in sigstore/cosign's format. Lading verifies what it signed and refuses unsigned,
 * wrongly-keyed and moved signatures; keys are cosign's encrypted format, and a wrong passphrase or
 * an unknown key is one sentence. Against a real third-party verifier: skopeo accepts what Lading
 * signed under a `sigstoreSigned` policy and refuses the rest, and Lading accepts what skopeo
 * signed with a key Lading generated — those two run only where skopeo was built with sigstore
 * (Debian 12's skopeo 1.9.3 answers "sigstore disabled" to both, so they are skipped there).
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startRegistry, type TestRegistry } from '@lading/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  copyBundle,
  generateSigningKeys,
  OciError,
  publishBundleArchive,
  readSigningKey,
  readVerificationKey,
  RegistryClient,
  signatureTag,
  signBundle,
  signImage,
  verifyBundle,
  verifyImage,
  writeBundleArchive,
} from '../src/internal.js';
import { publishTinyBundle } from './support/tiny-bundle.js';
import { pushTinyImage } from './support/tiny-image.js';

const run = promisify(execFile);
/** Debian 12 builds skopeo with sigstore compiled out; it says so for any sigstore policy or signing. */
const skopeoHasSigstore = !readFileSync(execFileSync('sh', ['-c', 'command -v skopeo']).toString().trim()).includes('sigstore disabled');
const passphrase = 'correct horse battery staple';
let registry: TestRegistry;
let client: RegistryClient;
let dir: string;
let keys: { privateKey: string; publicKey: string };
let otherKeys: { privateKey: string; publicKey: string };
const files = { key: '', pub: '', policy: '', acceptAll: '', registriesD: '', passphrase: '' };

/** `skopeo copy` of `source` (a digest reference in the test registry) to a local directory, under the sigstoreSigned policy. */
async function skopeoAccepts(source: string): Promise<{ ok: boolean; stderr: string }> {
  const target = await mkdtemp(join(dir, 'copy-'));
  try {
    await run('skopeo', ['--policy', files.policy, '--registries.d', files.registriesD, 'copy', '--src-tls-verify=false', `docker://${source}`, `dir:${target}`]);
    return { ok: true, stderr: '' };
  } catch (error) {
    return { ok: false, stderr: String((error as { stderr?: string }).stderr ?? error) };
  }
}

beforeAll(async () => {
  registry = await startRegistry();
  client = new RegistryClient({ registry: registry.host });
  dir = await mkdtemp(join(tmpdir(), 'lading-test-signatures-'));
  keys = generateSigningKeys(passphrase);
  otherKeys = generateSigningKeys('another passphrase');
  Object.assign(files, { key: join(dir, 'lading.key'), pub: join(dir, 'lading.pub'), policy: join(dir, 'policy.json'), acceptAll: join(dir, 'accept.json') });
  files.registriesD = join(dir, 'registries.d');
  files.passphrase = join(dir, 'passphrase');
  await writeFile(files.key, keys.privateKey, { mode: 0o600 });
  await writeFile(files.pub, keys.publicKey);
  await writeFile(files.passphrase, passphrase, { mode: 0o600 });
  await writeFile(
    files.policy,
    JSON.stringify({
      default: [{ type: 'reject' }],
      transports: { docker: { [registry.host]: [{ type: 'sigstoreSigned', keyPath: files.pub, signedIdentity: { type: 'matchRepository' } }] } },
    }),
  );
  await writeFile(files.acceptAll, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  await run('mkdir', ['-p', files.registriesD]);
  await writeFile(join(files.registriesD, 'lading.yaml'), `docker:\n  ${registry.host}:\n    use-sigstore-attachments: true\n`);
});

afterAll(async () => {
  await registry?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('signatures', () => {
  it('keys: cosign encrypted format, opened with the passphrase only', () => {
    expect(keys.privateKey).toMatch(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
    expect(keys.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(readSigningKey(keys.privateKey, passphrase).asymmetricKeyType).toBe('ec');
    expect(() => readSigningKey(keys.privateKey, 'wrong')).toThrow('The signing key cannot be opened with this passphrase (LADING_KEY_PASSWORD).');
    expect(() => readSigningKey(keys.publicKey, passphrase)).toThrow(/^The signing key is not a cosign private key/);
  });

  it('verifies an image Lading signed, and refuses it unsigned or under another key, in one sentence each', async () => {
    const signed = await pushTinyImage(client, 'signed/app', 'signed');
    expect(await signImage(client, 'signed/app', signed.digest, readSigningKey(keys.privateKey, passphrase))).toBe('signed');
    expect(await signImage(client, 'signed/app', signed.digest, readSigningKey(keys.privateKey, passphrase))).toBe('already signed');
    await verifyImage(client, 'signed/app', signed.digest, readVerificationKey(keys.publicKey));
    const unsigned = await pushTinyImage(client, 'signed/app', 'unsigned');
    await expect(verifyImage(client, 'signed/app', unsigned.digest, readVerificationKey(keys.publicKey))).rejects.toThrow(
      `The image ${registry.host}/signed/app@${unsigned.digest} is not signed (no ${signatureTag(unsigned.digest)} beside it).`,
    );
    await expect(verifyImage(client, 'signed/app', signed.digest, readVerificationKey(otherKeys.publicKey))).rejects.toThrow(
      `The image ${registry.host}/signed/app@${signed.digest} carries no signature that this key verifies.`,
    );
  });

  it.skipIf(!skopeoHasSigstore)('skopeo accepts an image Lading signed, and refuses it unsigned or signed by another key', async () => {
    const signed = await pushTinyImage(client, 'skopeo-checks/app', 'signed');
    await signImage(client, 'skopeo-checks/app', signed.digest, readSigningKey(keys.privateKey, passphrase));
    expect(await skopeoAccepts(`${registry.host}/skopeo-checks/app@${signed.digest}`)).toEqual({ ok: true, stderr: '' });
    const unsigned = await pushTinyImage(client, 'skopeo-checks/app', 'unsigned');
    expect((await skopeoAccepts(`${registry.host}/skopeo-checks/app@${unsigned.digest}`)).ok).toBe(false);
    const foreign = await pushTinyImage(client, 'skopeo-checks/app', 'foreign');
    await signImage(client, 'skopeo-checks/app', foreign.digest, readSigningKey(otherKeys.privateKey, 'another passphrase'));
    expect((await skopeoAccepts(`${registry.host}/skopeo-checks/app@${foreign.digest}`)).ok).toBe(false);
  });

  it('refuses a signature moved beside another image: its payload names the wrong digest', async () => {
    const image = await pushTinyImage(client, 'tampered/app', 'tampered');
    const other = await pushTinyImage(client, 'tampered/app', 'other');
    await signImage(client, 'tampered/app', other.digest, readSigningKey(keys.privateKey, passphrase));
    const moved = await client.getManifest('tampered/app', signatureTag(other.digest));
    await client.putManifest('tampered/app', signatureTag(image.digest), moved.mediaType, moved.body);
    await expect(verifyImage(client, 'tampered/app', image.digest, readVerificationKey(keys.publicKey))).rejects.toThrow(
      `The image ${registry.host}/tampered/app@${image.digest} carries no signature that this key verifies.`,
    );
  });

  it.skipIf(!skopeoHasSigstore)('Lading accepts what skopeo signed with a key from lading keys generate, and refuses it under an unknown key', async () => {
    const image = await pushTinyImage(client, 'source/app', 'skopeo');
    await run('skopeo', [
      '--policy',
      files.acceptAll,
      '--registries.d',
      files.registriesD,
      'copy',
      '--src-tls-verify=false',
      '--dest-tls-verify=false',
      '--sign-by-sigstore-private-key',
      files.key,
      '--sign-passphrase-file',
      files.passphrase,
      `docker://${registry.host}/source/app@${image.digest}`,
      `docker://${registry.host}/skopeo-signed/app:v1`,
    ]);
    const digest = (await client.headManifest('skopeo-signed/app', 'v1'))!.digest;
    await verifyImage(client, 'skopeo-signed/app', digest, readVerificationKey(keys.publicKey));
    const error = await verifyImage(client, 'skopeo-signed/app', digest, readVerificationKey(otherKeys.publicKey)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OciError);
    expect((error as Error).message).toBe(`The image ${registry.host}/skopeo-signed/app@${digest} carries no signature that this key verifies.`);
  });

  it('signs a bundle: its index and every image it lists; verification refuses an unsigned part', async () => {
    const bundle = await publishTinyBundle(client);
    const signed = await signBundle(client, 'bundles/app', bundle.digest, readSigningKey(keys.privateKey, passphrase));
    expect(signed.map((part) => part.what)).toEqual(['bundle', 'invocation image', 'image tool']);
    await verifyBundle(client, 'bundles/app', bundle.digest, readVerificationKey(keys.publicKey));
    expect((await signBundle(client, 'bundles/app', bundle.digest, readSigningKey(keys.privateKey, passphrase))).map((part) => part.outcome)).toEqual([
      'already signed',
      'already signed',
      'already signed',
    ]);
    await expect(verifyBundle(client, 'bundles/app', bundle.digest, readVerificationKey(otherKeys.publicKey))).rejects.toThrow(/^The bundle .* carries no signature that this key verifies\.$/);
    const second = await signBundle(client, 'bundles/app', bundle.digest, readSigningKey(otherKeys.privateKey, 'another passphrase')).catch((caught: unknown) => caught);
    expect((second as Error).message).toMatch(/already carries signatures by other keys; sign with --force to add this one/);
  });

  it('travel with the bundle in archives and copies, and still verify where it lands', async () => {
    const bundle = await publishTinyBundle(client);
    await signBundle(client, 'bundles/app', bundle.digest, readSigningKey(keys.privateKey, passphrase));
    const archive = join(dir, 'signed.tar');
    await writeBundleArchive(client, 'bundles/app', bundle.digest, archive);
    const published = await publishBundleArchive(archive, client, 'unpacked/app', 'v1', false);
    expect(published.signatures).toHaveLength(3);
    await verifyBundle(client, 'unpacked/app', bundle.digest, readVerificationKey(keys.publicKey));
    const copied = await copyBundle({ from: client, fromRepo: 'unpacked/app', digest: bundle.digest, to: client, toRepo: 'copied/app', tag: 'v1', force: false });
    expect(copied.signatures).toHaveLength(3);
    await verifyBundle(client, 'copied/app', bundle.digest, readVerificationKey(keys.publicKey));
  });
});
