// --target: the first region's URL puts the others on the following ports, which never wrap past
// 65535 (the URL setter would keep the old port for 65536: two regions on one port); the
// region=url form names every port.
import { describe, expect, it } from 'vitest'
import { EXIT } from '../../../../cli/exit-codes.ts'
import { main } from '../../../../cli/main.ts'
import { UsageError } from '../../../../scenarios/errors.ts'
import { distinctRegionCount, formatTarget, parseTarget } from '../../../../scenarios/run/http/target.ts'
import { captureIo } from '../../../helpers/io.ts'

const REGIONS = ['us-east', 'us-west', 'eu-west', 'ap-southeast']
const parse = (text: string): Record<string, string> => ({ ...parseTarget(text, { regions: REGIONS, allowRemote: false }).urls })

describe('--target with the first region URL', () => {
  it('puts the regions on consecutive ports up to 65535', () => {
    expect(parse('http://127.0.0.1:65532')).toEqual({
      'us-east': 'http://127.0.0.1:65532',
      'us-west': 'http://127.0.0.1:65533',
      'eu-west': 'http://127.0.0.1:65534',
      'ap-southeast': 'http://127.0.0.1:65535',
    })
  })

  it('refuses a first port whose following ports would pass 65535, suggesting the region=url form', () => {
    let error: unknown
    try {
      parse('http://127.0.0.1:65533')
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(UsageError)
    expect((error as UsageError).code).toBe('LS_BAD_FLAG')
    expect((error as UsageError).message).toBe(
      '--target http://127.0.0.1:65533: the 4 regions take ports 65533..65536, past 65535; give a first port of at most 65532, or name each region\'s URL: us-east=http://127.0.0.1:PORT,us-west=http://127.0.0.1:PORT,eu-west=http://127.0.0.1:PORT,ap-southeast=http://127.0.0.1:PORT',
    )
  })

  it('takes any ports in the region=url form', () => {
    const urls = REGIONS.map((region, i) => `${region}=http://127.0.0.1:${65535 - i}`).join(',')
    expect(parse(urls)['us-east']).toBe('http://127.0.0.1:65535')
  })

  it('is refused by likestorm run before anything runs: one line, exit 2', () => {
    const io = captureIo()
    const code = main(['run', 'baseline', '--mode', 'http', '--target', 'http://127.0.0.1:65533', '--quiet'], io)
    expect(code).toBe(EXIT.USAGE)
    const { out, err } = io.text()
    expect(out).toBe('')
    expect(err.trim().split('\n')).toHaveLength(1)
    expect(err).toMatch(/^likestorm: --target http:\/\/127\.0\.0\.1:65533: the 4 regions take ports 65533\.\.65536, past 65535; .*us-east=http:\/\/127\.0\.0\.1:PORT,.* \[LS_BAD_FLAG\]\n$/)
  })
})

describe('the --target a result records and its replay repeats', () => {
  it('is the first URL when the others follow on the next ports, and every region\'s URL otherwise', () => {
    expect(formatTarget(parse('http://127.0.0.1:8080'), REGIONS)).toBe('http://127.0.0.1:8080')
    const scattered = 'us-east=http://127.0.0.1:9000,us-west=http://127.0.0.1:7000,eu-west=http://127.0.0.1:9002,ap-southeast=http://127.0.0.1:9003'
    expect(formatTarget(parse(scattered), REGIONS)).toBe(scattered)
    expect(parse(formatTarget(parse(scattered), REGIONS))).toEqual(parse(scattered))
    const oneDoor = REGIONS.map((region) => `${region}=http://127.0.0.1:9000`).join(',')
    expect(formatTarget(parse(oneDoor), REGIONS)).toBe(oneDoor)
    expect(distinctRegionCount(parse(oneDoor))).toBe(1)
    expect(distinctRegionCount(parse(scattered))).toBe(4)
  })
})
