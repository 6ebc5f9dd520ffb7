// Results and reports are written whole or not at all (a temporary file renamed over the old
// one), and a run first removes what an earlier run left where it writes, so a stale result can
// never pass for a new one.
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { clearIndexOutputs, clearRunOutputs } from '../../cli/run-outputs.ts'
import { writeResult } from '../../cli/write-result.ts'
import { temporaryPathFor, writeFileAtomic } from '../../reports/atomic-file.ts'
import { writeIndex, writeReports } from '../../reports/write-reports.ts'
import { main } from '../../cli/main.ts'
import { EXIT } from '../../cli/exit-codes.ts'
import { captureIo } from '../helpers/io.ts'
import { smallResult, tempDir } from '../reports/fixtures.ts'

/**
 * A hard link to `path` sees the file's old content after a write that renames a new file over
 * it, and the new content after a write in place (which truncates and refills the shared inode).
 */
function linkTo(path: string): string {
  const link = `${path}.link`
  linkSync(path, link)
  return link
}

describe('atomic writes', () => {
  it('replace result.json by renaming a whole new file over it, leaving no temporary file', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'result.json'), 'old')
    const link = linkTo(join(dir, 'result.json'))
    const result = smallResult('baseline')
    writeResult(result, dir)
    expect(readFileSync(link, 'utf8')).toBe('old')
    expect(JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')).scenario.name).toBe('baseline')
    expect(readdirSync(dir).sort()).toEqual(['result.json', 'result.json.link'])
  })

  it('replace every report and index file the same way', () => {
    const dir = tempDir()
    const runDir = join(dir, 'baseline')
    mkdirSync(runDir)
    const names = ['report.html', 'summary.md', 'junit.xml']
    const links = names.map((name) => {
      writeFileSync(join(runDir, name), 'old')
      writeFileSync(join(dir, name === 'report.html' ? 'index.html' : name), 'old')
      return [linkTo(join(runDir, name)), linkTo(join(dir, name === 'report.html' ? 'index.html' : name))]
    })
    const result = smallResult('baseline')
    const paths = writeReports(result, runDir)
    writeIndex([result, result], dir, [paths, paths])
    for (const link of links.flat()) expect(readFileSync(link, 'utf8')).toBe('old')
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('LikeStorm')
    expect(readdirSync(runDir).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('leave the old file whole when the write fails', () => {
    const dir = tempDir()
    const path = join(dir, 'result.json')
    writeFileSync(path, 'old')
    // The temporary file's place is taken by a folder: writing it fails before any rename.
    mkdirSync(temporaryPathFor(path))
    expect(() => writeFileAtomic(path, 'new')).toThrow()
    expect(readFileSync(path, 'utf8')).toBe('old')
  })
})

describe('clearing earlier outputs', () => {
  it("removes a run's result, reports and leftover temporary files, and nothing else", () => {
    const dir = tempDir()
    for (const name of ['result.json', 'report.html', 'summary.md', 'junit.xml', '.result.json.123-0.tmp', 'notes.txt']) writeFileSync(join(dir, name), 'x')
    clearRunOutputs(dir)
    expect(readdirSync(dir)).toEqual(['notes.txt'])
    clearRunOutputs(join(dir, 'missing'))
  })

  it("removes an index LikeStorm wrote, never a file of the user's own", () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>LikeStorm runs</title>')
    writeFileSync(join(dir, 'junit.xml'), '<testsuites name="likestorm">')
    writeFileSync(join(dir, 'summary.md'), '# My project\n')
    clearIndexOutputs(dir)
    expect(readdirSync(dir)).toEqual(['summary.md'])
  })

  it('happen before a run writes: a planted result and reports do not survive likestorm run --no-reports', async () => {
    const out = tempDir()
    const dir = join(out, 'baseline')
    mkdirSync(dir)
    for (const name of ['result.json', 'report.html', 'summary.md', 'junit.xml']) writeFileSync(join(dir, name), 'stale')
    writeFileSync(join(out, 'index.html'), 'LikeStorm runs (stale)')
    const io = captureIo()
    expect(await main(['run', 'baseline', '--scale', '0.1', '--out', out, '--quiet', '--no-reports'], io)).toBe(EXIT.OK)
    expect(readdirSync(dir)).toEqual(['result.json'])
    expect(JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')).scale).toBe(0.1)
    expect(existsSync(join(out, 'index.html'))).toBe(false)
  })

  it('leave everything in place on a usage error, found before anything is cleared', async () => {
    const out = tempDir()
    mkdirSync(join(out, 'baseline'))
    writeFileSync(join(out, 'baseline', 'result.json'), 'kept')
    const io = captureIo()
    expect(await main(['run', 'baseline', 'bot-purge', '--scale', '0.1', '--out', out], io)).toBe(EXIT.USAGE)
    expect(readFileSync(join(out, 'baseline', 'result.json'), 'utf8')).toBe('kept')
  })
})
