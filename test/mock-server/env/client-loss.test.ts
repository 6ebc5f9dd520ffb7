// The lossy path between the clients and a region: the share lost, split between lost requests and
// lost answers, drawn only while a loss is under way, the same for the same draws.
import { describe, expect, it } from 'vitest'
import { ClientLoss, combinedLoss, lossFate, type LossFate } from '../../../mock-server/env/client-loss.ts'
import { Rng } from '../../../sim/rng.ts'

function seeded(seed: number): { draw: () => number; draws: () => number } {
  const stream = new Rng(seed).stream('network-loss')
  let count = 0
  return {
    draw: () => {
      count++
      return stream.next()
    },
    draws: () => count,
  }
}

const fatesOf = (loss: ClientLoss, region: string, n: number): LossFate[] => Array.from({ length: n }, () => loss.fate(region))

describe('a lossy region', () => {
  it('loses its share of requests, about half before the system saw them and half after it answered', () => {
    const loss = new ClientLoss(seeded(7))
    loss.start('f', 'us-east', 0.2)
    const fates = fatesOf(loss, 'us-east', 10_000)
    const lost = fates.filter((fate) => fate !== 'deliver')
    expect(lost.length / fates.length).toBeGreaterThan(0.18)
    expect(lost.length / fates.length).toBeLessThan(0.22)
    const answersLost = lost.filter((fate) => fate === 'lose-answer').length / lost.length
    expect(answersLost).toBeGreaterThan(0.45)
    expect(answersLost).toBeLessThan(0.55)
    expect(fatesOf(loss, 'eu-west', 1000).every((fate) => fate === 'deliver')).toBe(true)
  })

  it('loses the same requests for the same seed, others for another', () => {
    const run = (seed: number): string => {
      const loss = new ClientLoss(seeded(seed))
      loss.start('f', 'us-east', 0.5)
      return fatesOf(loss, 'us-east', 300).map((fate) => fate[0]).join('')
    }
    expect(run(5)).toBe(run(5))
    expect(run(5)).not.toBe(run(6))
  })

  it('draws nothing while no region loses requests, nor for a request to a region that does not', () => {
    const source = seeded(1)
    const loss = new ClientLoss(source)
    fatesOf(loss, 'us-east', 100)
    expect(source.draws()).toBe(0)
    loss.start('f', 'us-east', 0.3)
    fatesOf(loss, 'eu-west', 100)
    expect(source.draws()).toBe(0)
    loss.stop('f')
    fatesOf(loss, 'us-east', 100)
    expect(source.draws()).toBe(0)
    expect(loss.active()).toEqual([])
  })

  it('combines two losses of one region independently, and refuses a share outside (0, 1]', () => {
    const loss = new ClientLoss(seeded(1))
    loss.start('a', 'us-east', 0.5)
    loss.start('b', 'us-east', 0.5)
    expect(loss.shareOf('us-east')).toBeCloseTo(0.75, 12)
    loss.stop('a')
    expect(loss.active()).toEqual([{ region: 'us-east', share: 0.5 }])
    expect(combinedLoss([])).toBe(0)
    expect(() => loss.start('c', 'us-east', 0)).toThrow(/share is in \(0, 1\]/)
    expect(() => loss.start('c', 'us-east', 1.01)).toThrow(/share is in \(0, 1\]/)
    // A whole loss loses every request.
    expect(lossFate(1, () => 0.999)).not.toBe('deliver')
  })
})
