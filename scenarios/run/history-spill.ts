// The history's spill file (a ChunkStore, sim/history-chunks.ts): chunks of attempts written to a
// temporary file, at chunk index x chunk size, and read back whole. The file is unlinked as soon as
// it is open where the platform allows it (the open descriptor keeps it), so a run that dies leaves
// nothing behind; the descriptor is closed when the history is closed or collected.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChunkStore } from '../../sim/history-chunks.ts'

/** Descriptors of spill files whose history was collected without being closed. */
const orphans = new FinalizationRegistry<SpillFile>((file) => file.close())

export class SpillFile implements ChunkStore {
  private fd: number | undefined
  private readonly dir: string
  private unlinked = false

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'likestorm-history-'))
    this.fd = openSync(join(this.dir, 'attempts.bin'), 'w+')
    try {
      rmSync(this.dir, { recursive: true, force: true })
      this.unlinked = true
    } catch {
      // A platform that keeps an open file (Windows): removed at close.
    }
  }

  /** Close the file when `owner` is collected, if nobody closed it before. */
  releaseWith(owner: object): void {
    orphans.register(owner, this, this)
  }

  write(index: number, bytes: Uint8Array): void {
    const position = index * bytes.byteLength
    let written = 0
    while (written < bytes.byteLength) written += writeSync(this.open(), bytes, written, bytes.byteLength - written, position + written)
  }

  read(index: number, into: Uint8Array): void {
    const position = index * into.byteLength
    let read = 0
    while (read < into.byteLength) {
      const got = readSync(this.open(), into, read, into.byteLength - read, position + read)
      if (got === 0) throw new Error(`history spill: chunk ${index} was never written`)
      read += got
    }
  }

  close(): void {
    if (this.fd === undefined) return
    closeSync(this.fd)
    this.fd = undefined
    orphans.unregister(this)
    if (!this.unlinked) rmSync(this.dir, { recursive: true, force: true })
  }

  private open(): number {
    if (this.fd === undefined) throw new Error('history spill: the file was closed')
    return this.fd
  }
}
