// In-memory stdout/stderr for calling the CLI's main() without a process.
import { Writable } from 'node:stream'

export interface CapturedIo {
  readonly out: NodeJS.WritableStream
  readonly err: NodeJS.WriteStream
  text(): { out: string; err: string }
}

export function captureIo(): CapturedIo {
  let out = ''
  let err = ''
  const outStream = new Writable({
    write(chunk: Buffer | string, _encoding, callback): void {
      out += chunk.toString()
      callback()
    },
  })
  const errStream = new Writable({
    write(chunk: Buffer | string, _encoding, callback): void {
      err += chunk.toString()
      callback()
    },
  }) as unknown as NodeJS.WriteStream
  return { out: outStream, err: errStream, text: () => ({ out, err }) }
}
