// A user's module (a scenario file, a system), imported afresh when its bytes changed (the digest
// in the URL). TypeScript goes through tsx's loader, registered for this process once, so that the
// file's own imports (`likestorm` first) resolve to the modules already loaded, not to a second
// copy of the package. From the sources (a .ts module: tsx or vitest already runs us, on every
// thread) nothing is registered.
import { pathToFileURL } from 'node:url'

let tsxRegistered: unknown

export async function importUserModule(absolutePath: string, sha256: string): Promise<Record<string, unknown>> {
  const url = `${pathToFileURL(absolutePath).href}?sha256=${sha256}`
  if (/\.[mc]?ts$/.test(absolutePath) && !import.meta.url.endsWith('.ts')) {
    const { register } = await import('tsx/esm/api')
    tsxRegistered ??= register()
  }
  return (await import(url)) as Record<string, unknown>
}
