let credentialsOption: string | undefined;

/** `lading --credentials FILE`: act as the principal that file names (else `LADING_CREDENTIALS`). */
export function useCredentialsFile(file: string | undefined): void {
  credentialsOption = file;
}

/** The file `--credentials` named, if any. */
export function credentialsFileOption(): string | undefined {
  return credentialsOption;
}
