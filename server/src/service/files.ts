/**
 * The file names Docksmith treats as Dockerfiles, the same patterns the extension contributes:
 * `Dockerfile`, `Dockerfile.*`, `*.dockerfile`, `Containerfile`, `Containerfile.*`, `*.containerfile`.
 */
export function isDockerfileName(fileName: string): boolean {
  return /^(Dockerfile|Containerfile)(\..+)?$/.test(fileName) || /\.(dockerfile|containerfile)$/i.test(fileName);
}
