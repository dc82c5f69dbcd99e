/** A model artifact that cannot be served: which file or field, and why (the catalog records it per model). */
export class ArtifactError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'ArtifactError';
  }
}
